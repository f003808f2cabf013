"""The review queue's pages, mounted at /review/."""
from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.review_session, name="session"),
    path("restart/", views.review_session_restart, name="restart"),
    path("cards/<int:card_id>/", views.review_card, name="card"),
    path("cards/<int:card_id>/check/", views.review_check, name="check"),
    path("cards/<int:card_id>/rate/", views.review_rate, name="rate"),
]
