"""Template tags that put a lesson's quiz and the learner's grade on the course and lesson pages."""
from datetime import timezone as dt_timezone

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from .. import selectors
from ..grade_labels import outcome_label

register = template.Library()


@register.simple_tag(takes_context=True)
def lesson_quizzes(context, lesson) -> list[dict]:
    """[{quiz, grade}] for the lesson's quizzes the current user may see."""
    user = context["request"].user
    return [
        {"quiz": quiz, "grade": selectors.final_grade_for_user(quiz=quiz, user=user)}
        for quiz in selectors.quizzes_for_lesson(lesson=lesson, user=user)
    ]


@register.simple_tag(takes_context=True)
def course_quiz_grades(context, course) -> dict:
    """lesson id → {quiz, grade} for the course outline."""
    user = context["request"].user
    return {
        lesson_id: {"quiz": quiz, "grade": grade}
        for lesson_id, (quiz, grade) in selectors.quiz_grades_for_course(course=course, user=user).items()
    }


@register.filter
def lookup(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.filter
def marks(value) -> str:
    """4.5 -> "4.5", 2.0 -> "2", 0.3333 -> "0.33": marks as a teacher writes them ("4.50" reads oddly)."""
    if value is None or value == "":
        return ""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@register.simple_tag
def quiz_outcome(grade) -> str:
    """A final grade's result in the words every page uses: "Passed", "Not passed yet" or "Not passed"."""
    return outcome_label(passed=grade.passed, attempts_left=grade.attempts_left)


@register.simple_tag
def local_time(value, style: str = "datetime"):
    """<time> in UTC text that static/js/local_time.js rewrites in the reader's own time zone."""
    if not value:
        return ""
    utc = timezone.localtime(value, dt_timezone.utc)
    pattern = "H:i" if style == "time" else "j M Y, H:i"
    return format_html('<time datetime="{}" data-local-time="{}">{} UTC</time>', utc.isoformat(), style,
                       date_format(utc, pattern))
