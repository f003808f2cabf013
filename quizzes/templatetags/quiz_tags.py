"""Template tags that put a lesson's quiz and the learner's grade on the course and lesson pages."""
from django import template

from .. import selectors

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
