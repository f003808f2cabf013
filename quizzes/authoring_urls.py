"""Instructor-facing quiz pages: authoring, import/export, regrade, item statistics."""
from django.urls import path

app_name = "quiz_authoring"

urlpatterns: list = []
