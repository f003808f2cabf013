"""Write-side operations on courses: enrollment, progress, authoring and loading content files."""
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import INSTRUCTORS_GROUP

from . import lesson_progress
from .content import CourseSource, read_course_folders
from .markdown import render_markdown, render_markdown_with_toc, toc_section_ids
from .markdown_limits import markdown_limits_check
from .models import Course, Enrollment, GlossaryTerm, Lesson, LessonProgress


class StaleEditError(Exception):
    """The lesson changed since the editor opened it; saving would overwrite someone's work."""


def enrollment_create(*, user: User, course: Course) -> Enrollment:
    """Enroll once; a double click or a second tab finds the existing enrollment."""
    if not course.is_published:
        raise ValidationError("This course is not open for enrollment.", code="course_unpublished")
    try:
        with transaction.atomic():
            enrollment, _ = Enrollment.objects.get_or_create(user=user, course=course)
    except IntegrityError:  # the same request raced us between the get and the create
        enrollment = Enrollment.objects.get(user=user, course=course)
    return enrollment


def enrollment_delete(*, user: User, course: Course) -> None:
    Enrollment.objects.filter(user=user, course=course).delete()


def lesson_view_record(*, user: User, lesson: Lesson) -> LessonProgress:
    return lesson_progress.progress_touch(user=user, lesson=lesson)


SECTION_ID_MAX = 100  # LessonProgress.last_section's length


def lesson_position_save(*, user: User, lesson: Lesson, section: str) -> LessonProgress:
    """Remember the heading the learner last had in view; only ids of this lesson's contents list count."""
    if not section or len(section) > SECTION_ID_MAX or section not in toc_section_ids(lesson.body_toc):
        raise ValidationError("No such section in this lesson.", code="unknown_section")
    # Not a view: a report arriving late (the page's last beacon, sent as the learner opens the next
    # lesson) must not make this lesson the most recently viewed one again.
    return lesson_progress.progress_section_set(user=user, lesson=lesson, section=section)


def lesson_complete(*, user: User, lesson: Lesson) -> LessonProgress:
    """Mark complete; the first completion time is kept when marked again."""
    return lesson_progress.progress_complete(user=user, lesson=lesson)


def lesson_uncomplete(*, user: User, lesson: Lesson) -> None:
    lesson_progress.progress_uncomplete(user=user, lesson=lesson)


def lesson_render(*, body_markdown: str) -> dict:
    """The stored rendering of a lesson body: checked against the Markdown limits, rendered once."""
    markdown_limits_check(body_markdown, field_label="The lesson text")
    html, toc = render_markdown_with_toc(body_markdown)
    return {"body_html": html, "body_toc": toc}


def lesson_update(
    *, lesson: Lesson, editor: User, title: str, summary: str, body_markdown: str, expected_revision: int
) -> Lesson:
    """Save an edit from the browser unless someone saved a newer revision in between."""
    with transaction.atomic():
        updated = Lesson.objects.filter(pk=lesson.pk, revision=expected_revision).update(
            title=title,
            summary=summary,
            body_markdown=body_markdown,
            **lesson_render(body_markdown=body_markdown),
            revision=F("revision") + 1,
            updated_by=editor,
            updated_at=timezone.now(),
        )
        if not updated:
            raise StaleEditError("This lesson was changed by someone else since you opened it.")
    lesson.refresh_from_db()
    return lesson


def lesson_set_published(*, lesson: Lesson, is_published: bool) -> None:
    lesson_progress.lesson_published_set(lesson=lesson, is_published=is_published)


def lesson_move(*, lesson: Lesson, offset: int) -> None:
    """Move a lesson up (offset -1) or down (+1) in its course, renumbering positions 1..n."""
    with transaction.atomic():
        lessons = list(Lesson.objects.select_for_update().filter(course_id=lesson.course_id).order_by("position", "id"))
        ids = [item.id for item in lessons]
        index = ids.index(lesson.id)
        target = max(0, min(len(lessons) - 1, index + offset))
        lessons.insert(target, lessons.pop(index))
        for position, item in enumerate(lessons, start=1):
            if item.position != position:
                Lesson.objects.filter(pk=item.pk).update(position=position)


def course_instructor_add(*, course: Course, user: User) -> None:
    """Make `user` an instructor of `course` (joining the Instructors group if needed)."""
    group, _ = Group.objects.get_or_create(name=INSTRUCTORS_GROUP)
    user.groups.add(group)
    course.instructors.add(user)


def course_instructor_remove(*, course: Course, user: User) -> None:
    course.instructors.remove(user)


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def course_load_from_files(*, content_dir: Path) -> LoadReport:
    """Load every course folder. All files are validated first; the database changes all or nothing."""
    from quizzes.services.importing import course_quizzes_load, course_quizzes_read

    sources = read_course_folders(content_dir)
    # Quiz files (quizzes/NN-<lesson-slug>.gift) are parsed and validated up front too.
    quiz_sources = {
        source.slug: course_quizzes_read(folder=source.path, lesson_slugs={lesson.slug for lesson in source.lessons})
        for source in sources
    }
    report = LoadReport()
    with transaction.atomic():
        for source in sources:
            _load_one_course(source, report)
            created, updated, unchanged = course_quizzes_load(
                course=Course.objects.get(slug=source.slug), sources=quiz_sources[source.slug]
            )
            report.created += created
            report.updated += updated
            report.unchanged += unchanged
    return report


def _load_one_course(source: CourseSource, report: LoadReport) -> None:
    description_html = render_markdown(source.description_markdown)
    course, created = Course.objects.get_or_create(
        slug=source.slug,
        defaults={
            "title": source.title,
            "summary": source.summary,
            "description_markdown": source.description_markdown,
            "description_html": description_html,
            "open_lessons": source.open_lessons,
        },
    )
    fields = {
        "title": source.title,
        "summary": source.summary,
        "description_markdown": source.description_markdown,
        "open_lessons": source.open_lessons,
    }
    if created:
        report.created.append(f"course {source.slug}")
    elif any(getattr(course, name) != value for name, value in fields.items()):
        Course.objects.filter(pk=course.pk).update(**fields, description_html=description_html)
        report.updated.append(f"course {source.slug}")

    for lesson_source in source.lessons:
        lesson = Lesson.objects.filter(course=course, slug=lesson_source.slug).first()
        label = f"lesson {source.slug}/{lesson_source.slug}"
        if lesson is not None and lesson.source_hash == lesson_source.source_hash:
            report.unchanged.append(label)
            continue
        values = {
            "title": lesson_source.title,
            "summary": lesson_source.summary,
            "minutes": lesson_source.minutes,
            "seeds": lesson_source.seeds,
            "body_markdown": lesson_source.body_markdown,
            **lesson_render(body_markdown=lesson_source.body_markdown),
            "source_hash": lesson_source.source_hash,
        }
        if lesson is None:
            Lesson.objects.create(course=course, slug=lesson_source.slug, position=lesson_source.position, is_published=True, **values)
            report.created.append(label)
        else:
            Lesson.objects.filter(pk=lesson.pk).update(revision=F("revision") + 1, **values)
            report.updated.append(label)

    lessons_by_slug = {lesson.slug: lesson for lesson in course.lessons.all()}
    for entry in source.glossary:
        lesson = lessons_by_slug.get(entry.lesson_slug) if entry.lesson_slug else None
        term, created = GlossaryTerm.objects.get_or_create(
            course=course, term=entry.term, defaults={"definition": entry.definition, "lesson": lesson}
        )
        if created:
            report.created.append(f"term {entry.term}")
        elif term.definition != entry.definition or term.lesson_id != (lesson.id if lesson else None):
            GlossaryTerm.objects.filter(pk=term.pk).update(definition=entry.definition, lesson=lesson)
            report.updated.append(f"term {entry.term}")
