"""My learning: for one learner, every enrolled course with lessons done, quiz grades and the next step."""
from dataclasses import dataclass, field, replace

from django.contrib.auth.models import User
from django.urls import reverse

from courses.models import Course, Enrollment, Lesson, LessonProgress
from courses.selectors import lesson_section_url
from quizzes.grade_visibility import grade_as_shown, grade_visible
from quizzes.overrides.effective import overridden_settings_for_user
from quizzes.models import Quiz

from .grades import QuizGrade, attempt_rows, grade_not_started, grades_by_user_and_quiz

LESSON_DONE, LESSON_OPENED, LESSON_NEW = "completed", "opened", "not_started"


@dataclass(frozen=True)
class QuizItem:
    quiz: Quiz
    grade: QuizGrade

    @property
    def url(self) -> str:
        return reverse("quizzes:quiz_detail", kwargs={"quiz_id": self.quiz.pk})


@dataclass(frozen=True)
class LessonItem:
    lesson: Lesson
    state: str  # completed, opened or not_started
    quizzes: list[QuizItem]
    last_section: str = ""  # the heading the learner last had in view

    @property
    def url(self) -> str:
        return lesson_section_url(self.lesson, self.last_section)

    @property
    def state_label(self) -> str:
        return {LESSON_DONE: "Completed", LESSON_OPENED: "Opened", LESSON_NEW: "Not started"}[self.state]


@dataclass(frozen=True)
class NextStep:
    label: str  # the button's text: "Start lesson 3: Self-attention"
    url: str
    kind: str  # lesson or quiz


@dataclass
class CourseSummary:
    course: Course
    enrolled_at: object
    lessons: list[LessonItem] = field(default_factory=list)

    @property
    def lessons_total(self) -> int:
        return len(self.lessons)

    @property
    def lessons_completed(self) -> int:
        return sum(1 for item in self.lessons if item.state == LESSON_DONE)

    @property
    def percent(self) -> int:
        return round(100 * self.lessons_completed / self.lessons_total) if self.lessons_total else 0

    @property
    def quizzes(self) -> list[QuizItem]:
        return [quiz for item in self.lessons for quiz in item.quizzes]

    @property
    def quizzes_passed(self) -> int:
        return sum(1 for item in self.quizzes if item.grade.passed)

    @property
    def next_step(self) -> NextStep | None:
        """The first unfinished thing in course order: a lesson not completed, or a quiz to (re)take."""
        for item in self.lessons:
            if item.state != LESSON_DONE:
                verb = "Continue" if item.state == LESSON_OPENED else "Start"
                return NextStep(
                    label=f"{verb} lesson {item.lesson.position}: {item.lesson.title}",
                    url=item.url,  # an opened lesson resumes at the section last read
                    kind="lesson",
                )
            for quiz_item in item.quizzes:
                if not quiz_item.grade.is_finished:
                    verb = {"in_progress": "Continue", "failed": "Retake"}.get(quiz_item.grade.state, "Take")
                    return NextStep(label=f"{verb} quiz: {quiz_item.quiz.title}", url=quiz_item.url, kind="quiz")
        return None

    @property
    def is_complete(self) -> bool:
        return self.lessons_total > 0 and self.next_step is None


def learning_summary_for_user(*, user: User, course: Course | None = None) -> list[CourseSummary]:
    """Every course `user` is enrolled in (or just `course`), in five queries whatever the size."""
    enrollments = Enrollment.objects.filter(user=user).select_related("course").order_by("-created_at")
    if course is not None:
        enrollments = enrollments.filter(course=course)
    summaries = {e.course_id: CourseSummary(course=e.course, enrolled_at=e.created_at) for e in enrollments}
    if not summaries:
        return []
    lessons = list(
        Lesson.objects.filter(course_id__in=summaries, is_published=True).select_related("course").order_by("course_id", "position", "id")
    )
    progress = {
        lesson_id: (completed_at, last_section)
        for lesson_id, completed_at, last_section in LessonProgress.objects.filter(user=user, lesson__in=lessons).values_list(
            "lesson_id", "completed_at", "last_section"
        )
    }
    quizzes = list(Quiz.objects.filter(lesson__in=lessons, is_published=True).select_related("lesson__course").order_by("lesson_id", "id"))
    grades = grades_by_user_and_quiz(quizzes=quizzes, rows=attempt_rows(user=user, quiz__in=quizzes))
    overridden = overridden_settings_for_user(quizzes=quizzes, user=user)  # extra attempts (quizzes.overrides)
    quizzes_by_lesson: dict[int, list[QuizItem]] = {}
    for quiz in quizzes:
        grade = grades.get((user.pk, quiz.id)) or grade_not_started(quiz=quiz)
        if quiz.id in overridden:
            grade = replace(grade, attempts_left=overridden[quiz.id].attempts_left(grade.attempts_used))
        if grade.percent is not None:
            grade = grade_as_shown(grade, visible=grade_visible(quiz=quiz, user=user))
        quizzes_by_lesson.setdefault(quiz.lesson_id, []).append(QuizItem(quiz=quiz, grade=grade))
    for lesson in lessons:
        if lesson.id not in progress:
            state = LESSON_NEW
        else:
            state = LESSON_DONE if progress[lesson.id][0] else LESSON_OPENED
        summaries[lesson.course_id].lessons.append(
            LessonItem(
                lesson=lesson,
                state=state,
                quizzes=quizzes_by_lesson.get(lesson.id, []),
                last_section=progress[lesson.id][1] if lesson.id in progress else "",
            )
        )
    return list(summaries.values())
