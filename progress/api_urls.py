"""Progress API routes, mounted at /api/learning/ (the router's /api/progress/ is lesson progress records)."""
from django.urls import path

from .api import GradebookAPIView, MyLearningAPIView, PlatformAPIView

app_name = "progress_api"

urlpatterns = [
    path("me/", MyLearningAPIView.as_view(), name="me"),
    path("courses/<slug:course_slug>/gradebook/", GradebookAPIView.as_view(), name="gradebook"),
    path("platform/", PlatformAPIView.as_view(), name="platform"),
]
