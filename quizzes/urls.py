"""Learner-facing quiz pages: take, autosave, submit, review."""
from django.urls import path

from .views import checking, taking

app_name = "quizzes"

urlpatterns = [
    path("<int:quiz_id>/", taking.quiz_detail, name="quiz_detail"),
    path("<int:quiz_id>/start/", taking.attempt_start, name="attempt_start"),
    path("attempts/<int:attempt_id>/", taking.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/answers/<int:question_id>/", taking.answer_save, name="answer_save"),
    path("attempts/<int:attempt_id>/answers/<int:question_id>/check/", checking.answer_check_view, name="answer_check"),
    path("attempts/<int:attempt_id>/finish/", taking.attempt_finish, name="attempt_finish"),
    path("attempts/<int:attempt_id>/submit/", taking.attempt_confirm, name="attempt_confirm"),
    path("attempts/<int:attempt_id>/submit/confirm/", taking.attempt_submit, name="attempt_submit"),
    path("attempts/<int:attempt_id>/review/", taking.attempt_review, name="attempt_review"),
]
