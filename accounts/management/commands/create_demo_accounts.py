"""`python manage.py create_demo_accounts`: a student, an instructor of every course and an admin, for development."""
import secrets

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

from courses.models import Course
from courses.services import course_instructor_add, enrollment_create

DEMO_ACCOUNTS = [
    ("student", "Sam Student", {}),
    ("instructor", "Ines Instructor", {}),
    ("admin", "Ada Admin", {"is_staff": True, "is_superuser": True}),
]


class Command(BaseCommand):
    help = "Create demo accounts (development only). Passwords are printed once, when an account is created."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reset-passwords", action="store_true", help="Give existing demo accounts new passwords.")

    def handle(self, *args, reset_passwords: bool, **options) -> None:
        for username, display_name, flags in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": display_name, "email": f"{username}@example.com", **flags}
            )
            if created or reset_passwords:
                password = secrets.token_urlsafe(9)
                user.set_password(password)
                user.save(update_fields=["password"])
                self.stdout.write(f"  {username:<11} password: {password}")
            else:
                self.stdout.write(f"  {username:<11} (exists; run `make demo-passwords` for a new password)")
            self._give_role(username, user)

    def _give_role(self, username: str, user: User) -> None:
        for course in Course.objects.all():
            if username == "instructor":
                course_instructor_add(course=course, user=user)
            elif username == "student" and course.is_published:
                enrollment_create(user=user, course=course)
