"""`python manage.py load_course`: load the course material from the repository's content files."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.content import ContentError
from courses.services import course_load_from_files


class Command(BaseCommand):
    help = "Load courses, lessons and glossaries from content files. Running it twice changes nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--content-dir", type=Path, default=settings.COURSE_CONTENT_DIR)

    def handle(self, *args, content_dir: Path, **options) -> None:
        try:
            report = course_load_from_files(content_dir=content_dir)
        except ContentError as error:
            raise CommandError(f"Nothing was loaded. {error.path}, line {error.line}: {error.reason}") from None
        self.stdout.write(
            f"{len(report.created)} created, {len(report.updated)} updated, {len(report.unchanged)} unchanged."
        )
