"""`python manage.py submit_overdue_attempts`: submit every attempt whose time ran out (run it every minute).

Attempts are also submitted lazily when anyone opens them; this sweep makes grades appear for
learners who closed the tab and never came back.
"""
from django.core.management.base import BaseCommand

from quizzes.services.attempts import attempts_submit_overdue


class Command(BaseCommand):
    help = "Submit, with what was saved, every quiz attempt past its deadline."

    def handle(self, *args, **options) -> None:
        count = attempts_submit_overdue()
        self.stdout.write(f"{count} overdue attempt{'s' if count != 1 else ''} submitted.")
