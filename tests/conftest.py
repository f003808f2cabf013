"""Fixtures shared by the whole suite: the cast of users every permission test walks through."""
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from courses.models import Course, Lesson
from tests.factories import CourseFactory, LessonFactory, UserFactory, enroll, make_instructor


@dataclass
class Cast:
    course: Course
    other_course: Course
    lesson: Lesson
    draft: Lesson
    student: User  # enrolled in course
    other_student: User  # enrolled in nothing
    instructor: User  # teaches course
    other_instructor: User  # teaches other_course only
    admin: User


@pytest.fixture
def cast(db) -> Cast:
    course = CourseFactory(slug="attention-101", title="Attention 101")
    other_course = CourseFactory(slug="other-course", title="Other course")
    lesson = LessonFactory(course=course, slug="intro", title="Intro", position=1)
    draft = LessonFactory(course=course, slug="draft", title="Draft lesson", position=2, is_published=False)
    student = UserFactory(username="student1")
    enroll(student, course)
    return Cast(
        course=course,
        other_course=other_course,
        lesson=lesson,
        draft=draft,
        student=student,
        other_student=UserFactory(username="student2"),
        instructor=make_instructor(username="teacher1", course=course),
        other_instructor=make_instructor(username="teacher2", course=other_course),
        admin=UserFactory(username="boss", is_staff=True, is_superuser=True),
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
