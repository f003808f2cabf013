"""Learner-facing quiz pages: take, autosave, submit, review."""
from django.urls import path

app_name = "quizzes"

urlpatterns: list = []
