"""`python manage.py seed_demo_activity`: learning history for the demo student and a demo cohort (development only)."""
from django.core.management.base import BaseCommand

from progress.demo import demo_activity_seed


class Command(BaseCommand):
    help = "Give the demo student some progress and add a cohort of demo learners, so the dashboards show data. Safe to run twice."

    def handle(self, *args, **options) -> None:
        result = demo_activity_seed()
        if result["learners"] or result["events"]:
            self.stdout.write(f"Demo activity: {result['learners']} demo learners, {result['events']} learning events.")
        else:
            self.stdout.write("Demo activity already there (or no course loaded); nothing changed.")
