"""factory_boy factories shared by the test suite."""
import factory
from django.contrib.auth.models import Group, User

from accounts.roles import INSTRUCTORS_GROUP
from courses.markdown import render_markdown, render_markdown_with_toc
from courses.models import Course, Enrollment, Lesson

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(DEFAULT_PASSWORD)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    slug = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    summary = "A course."
    is_published = True


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    course = factory.SubFactory(CourseFactory)
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    title = factory.Sequence(lambda n: f"Lesson {n}")
    position = factory.Sequence(lambda n: n + 1)
    body_markdown = "## Section\n\nAttention is $\\mathrm{softmax}(QK^\\top/\\sqrt{d_k})V$.\n"
    body_html = factory.LazyAttribute(lambda lesson: render_markdown(lesson.body_markdown))
    body_toc = factory.LazyAttribute(lambda lesson: render_markdown_with_toc(lesson.body_markdown)[1])
    is_published = True


def make_instructor(*, username: str, course: Course | None = None) -> User:
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    if course is not None:
        course.instructors.add(user)
    return user


def enroll(user: User, course: Course) -> Enrollment:
    return Enrollment.objects.get_or_create(user=user, course=course)[0]
