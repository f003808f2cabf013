"""The platform's roles: students (everyone signed in), instructors (a group, plus a course's list), admins (staff)."""
from django.contrib.auth.models import AnonymousUser, User

INSTRUCTORS_GROUP = "Instructors"


def is_instructor(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    # Cached on the user object: templates and permission checks ask many times per request.
    if not hasattr(user, "_is_instructor"):
        user._is_instructor = user.groups.filter(name=INSTRUCTORS_GROUP).exists()
    return user._is_instructor
