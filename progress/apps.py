from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = "Progress"

    def ready(self) -> None:
        from django.contrib.auth.models import User
        from django.db.models.signals import post_delete, post_save

        from courses.models import Enrollment
        from quizzes.models import Answer, Attempt

        from .services import attempt_saved_record
        from .models import LearningEvent
        from .funnel_summaries import funnel_receivers_connect
        from .summaries import answer_saved, attempt_changed, enrollment_saved, event_saved, user_saved

        # Quiz attempts record themselves: the quiz code stays unaware of the learning record.
        post_save.connect(attempt_saved_record, sender=Attempt, dispatch_uid="progress_attempt_events")
        # Summary rows follow the record they summarise.
        post_save.connect(attempt_changed, sender=Attempt, dispatch_uid="progress_attempt_grade")
        post_delete.connect(attempt_changed, sender=Attempt, dispatch_uid="progress_attempt_grade_deleted")
        post_save.connect(user_saved, sender=User, dispatch_uid="progress_learner_keys")
        post_save.connect(event_saved, sender=LearningEvent, dispatch_uid="progress_event_summaries")
        post_save.connect(enrollment_saved, sender=Enrollment, dispatch_uid="progress_learner_keys_on_enrollment")
        post_save.connect(answer_saved, sender=Answer, dispatch_uid="progress_answer_item_summaries")
        funnel_receivers_connect()
