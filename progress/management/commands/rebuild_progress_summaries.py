"""`python manage.py rebuild_progress_summaries`: recompute the dashboards' summary rows from the learning record."""
from django.core.management.base import BaseCommand

from progress.summaries import summaries_rebuild


class Command(BaseCommand):
    help = "Rebuild every progress summary row (grades, daily activity, lesson views, learner keys) from the record."

    def handle(self, *args, **options) -> None:
        counts = summaries_rebuild()
        self.stdout.write("Rebuilt: " + ", ".join(f"{name} {count}" for name, count in counts.items()) + ".")
