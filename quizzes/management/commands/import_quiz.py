"""`python manage.py import_quiz FILE --format {gift,markdown,moodlexml} --lesson SLUG`: the upload page's importer."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from courses.models import Lesson
from quizzes.models import Quiz
from quizzes.services.importing import FORMATS, ImportRejected, quiz_import_text


class Command(BaseCommand):
    help = "Import questions from a GIFT or Markdown quiz file into a lesson's quiz. All or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", dest="fmt", choices=FORMATS, required=True)
        parser.add_argument("--lesson", required=True, help="The lesson's slug (add --course if it is ambiguous).")
        parser.add_argument("--course", help="The course's slug.")
        parser.add_argument("--quiz", default="quiz", help="The quiz's slug within the lesson (created if missing).")
        parser.add_argument("--title", help="Title for a new quiz (default: 'Quiz: <lesson title>').")
        parser.add_argument("--publish", action="store_true", help="Publish a newly created quiz.")

    def handle(self, *args, file: Path, fmt: str, lesson: str, course: str | None, quiz: str, title: str | None,
               publish: bool, **options) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot read the file ({error})") from None
        lessons = Lesson.objects.filter(slug=lesson).select_related("course")
        if course:
            lessons = lessons.filter(course__slug=course)
        found = list(lessons[:2])
        if not found:
            raise CommandError(f"No lesson with slug {lesson!r}{' in course ' + repr(course) if course else ''}.")
        if len(found) > 1:
            raise CommandError(f"Several courses have a lesson {lesson!r}; say which with --course.")
        target_lesson = found[0]
        try:
            with transaction.atomic():
                target, created = Quiz.objects.get_or_create(
                    lesson=target_lesson,
                    slug=quiz,
                    defaults={"title": title or f"Quiz: {target_lesson.title}", "is_published": publish},
                )
                questions = quiz_import_text(quiz=target, text=text, fmt=fmt, user=None)
        except ImportRejected as error:
            raise CommandError(f"{file}, line {error.line}: {error.message}. Nothing was imported.") from None
        verb = "Created" if created else "Added to"
        self.stdout.write(f"{verb} quiz {target.title!r} ({target_lesson.course.slug}/{target_lesson.slug}/{target.slug}): "
                          f"{len(questions)} questions imported.")
