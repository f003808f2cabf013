"""Template flags for the navigation: which role-specific links to show."""
from django.http import HttpRequest

from .roles import is_instructor


def roles(request: HttpRequest) -> dict:
    user = request.user
    return {"user_is_instructor": is_instructor(user), "user_is_admin": user.is_authenticated and user.is_staff}
