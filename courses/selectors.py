"""Read-side queries for courses: what a user may see and how far they got."""
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from .markdown import toc_section_ids
from .models import Course, Enrollment, Lesson, LessonProgress
from .permissions import can_author_course, courses_visible_to


def lesson_section_url(lesson: Lesson, section: str) -> str:
    """The lesson's address, at `section` when that heading is still in the lesson (it may have been edited away)."""
    url = lesson.get_absolute_url()
    if section and section in toc_section_ids(lesson.body_toc):
        return f"{url}#{section}"
    return url


def course_list_for_user(*, user: User | AnonymousUser) -> QuerySet[Course]:
    return courses_visible_to(user)  # the one rule (courses.permissions), for pages, API and catalogue


def lesson_list_for_user(*, user: User | AnonymousUser, course: Course) -> QuerySet[Lesson]:
    """Lessons in course order; drafts only for the course's authors."""
    lessons = course.lessons.order_by("position", "id")
    if can_author_course(user, course):
        return lessons
    return lessons.filter(is_published=True)


@dataclass(frozen=True)
class CourseProgress:
    lessons_total: int
    lessons_completed: int
    completed_lesson_ids: frozenset[int]
    viewed_lesson_ids: frozenset[int]
    resume_lesson: Lesson | None  # the lesson viewed most recently
    next_lesson: Lesson | None  # the first lesson not yet completed
    resume_section: str = ""  # the heading last in view in resume_lesson

    @property
    def resume_url(self) -> str:
        return lesson_section_url(self.resume_lesson, self.resume_section) if self.resume_lesson else ""

    @property
    def percent(self) -> int:
        if not self.lessons_total:
            return 0
        return round(100 * self.lessons_completed / self.lessons_total)

    @property
    def is_complete(self) -> bool:
        return self.lessons_total > 0 and self.lessons_completed == self.lessons_total


def course_progress_for_user(*, user: User | AnonymousUser, course: Course) -> CourseProgress:
    """Progress over the published lessons (what every learner of the course can complete)."""
    lessons = list(course.lessons.filter(is_published=True).order_by("position", "id"))
    records = (
        list(LessonProgress.objects.filter(user=user, lesson__in=lessons).select_related("lesson"))
        if user.is_authenticated
        else []
    )
    completed = frozenset(r.lesson_id for r in records if r.completed_at)
    viewed = frozenset(r.lesson_id for r in records)
    latest = max(records, key=lambda r: r.last_viewed_at, default=None)
    next_lesson = next((lesson for lesson in lessons if lesson.id not in completed), None)
    return CourseProgress(
        lessons_total=len(lessons),
        lessons_completed=len(completed),
        completed_lesson_ids=completed,
        viewed_lesson_ids=viewed,
        resume_lesson=latest.lesson if latest else None,
        next_lesson=next_lesson,
        resume_section=latest.last_section if latest else "",
    )


def enrollments_for_user(*, user: User) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(user=user).select_related("course")


def lesson_neighbours(*, lesson: Lesson, lessons: list[Lesson]) -> tuple[Lesson | None, Lesson | None]:
    """The lessons before and after `lesson` in the list the reader sees."""
    ids = [item.id for item in lessons]
    if lesson.id not in ids:
        return None, None
    index = ids.index(lesson.id)
    previous = lessons[index - 1] if index > 0 else None
    following = lessons[index + 1] if index + 1 < len(lessons) else None
    return previous, following
