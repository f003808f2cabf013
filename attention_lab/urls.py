from django.urls import path

from . import views

app_name = "attention_lab"

urlpatterns = [
    path("", views.lab, name="lab"),
    path("update/", views.lab_update, name="update"),
]
