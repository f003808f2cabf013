from django.urls import include, path

from . import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("password_change/", views.ThrottledPasswordChange.as_view(), name="password_change"),  # before Django's own
    path("", include("django.contrib.auth.urls")),
]
