from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = "Progress"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from quizzes.models import Attempt

        from .services import attempt_saved_record

        # Quiz attempts record themselves: the quiz code stays unaware of the learning record.
        post_save.connect(attempt_saved_record, sender=Attempt, dispatch_uid="progress_attempt_events")
