"""Random slot pages, included under a quiz's authoring URLs (the quiz_authoring namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("new/", views.random_slot_create, name="random_slot_create"),
    path("count/", views.random_slot_count, name="random_slot_count"),
    path("<int:slot_id>/", views.random_slot_edit, name="random_slot_edit"),
    path("<int:slot_id>/delete/", views.random_slot_delete, name="random_slot_delete"),
]
