"""`python manage.py render_lessons`: render every lesson's stored HTML and contents list again.

Pages read what was rendered on save; run this after changing the Markdown renderer or its allow-list.
"""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from courses.models import Lesson
from courses.services import lesson_render


class Command(BaseCommand):
    help = "Render the stored HTML of every lesson from its Markdown again."

    def handle(self, *args, **options) -> None:
        rendered, refused = 0, []
        for lesson in Lesson.objects.select_related("course").order_by("course__slug", "position"):
            try:
                Lesson.objects.filter(pk=lesson.pk).update(**lesson_render(body_markdown=lesson.body_markdown))
                rendered += 1
            except ValidationError as error:  # over the Markdown limits: keep what was stored, say so
                refused.append(f"{lesson.course.slug}/{lesson.slug}: {error.messages[0]}")
        self.stdout.write(f"{rendered} lessons rendered.")
        for line in refused:
            self.stderr.write(f"Not rendered, kept as stored: {line}")
