"""Review queue API routes, mounted at /api/review/."""
from django.urls import path

from .api import ReviewCardAPIView, ReviewQueueAPIView

app_name = "review_api"

urlpatterns = [
    path("", ReviewQueueAPIView.as_view(), name="queue"),
    path("<int:card_id>/", ReviewCardAPIView.as_view(), name="card"),
]
