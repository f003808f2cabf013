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
    classmate: User | None = None  # a second student enrolled in course


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
        classmate=_enrolled(UserFactory(username="student3"), course),
    )


def _enrolled(user: User, course: Course) -> User:
    enroll(user, course)
    return user


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- Quizzes ---------------------------------------------------------------------------------------
# One question of every type. Every secret (weights, feedback, right answers, explanations) carries a
# SECRET marker, so a test can prove none of it reaches a learner's browser before review.
QUESTION_SPECS = {
    "single_choice": {
        "qtype": "single_choice", "title": "SECRET-TITLE-single", "text": "Which function normalises scores?",
        "general_feedback": "SECRET-GF-single", "explanation": "SECRET-EX-single",
        "choices": [
            {"id": "a", "text": "ReLU", "fraction": 0.0, "feedback": "SECRET-FB-relu"},
            {"id": "b", "text": "Softmax", "fraction": 1.0, "feedback": "SECRET-FB-softmax"},
            {"id": "c", "text": "Tanh", "fraction": 0.0, "feedback": "SECRET-FB-tanh"},
        ],
    },
    "multiple_response": {
        "qtype": "multiple_response", "title": "SECRET-TITLE-multi", "text": "Which are matrices in attention?",
        "general_feedback": "SECRET-GF-multi",
        "choices": [
            {"id": "a", "text": "Queries", "fraction": 0.5, "feedback": "SECRET-FB-q"},
            {"id": "b", "text": "Keys", "fraction": 0.5, "feedback": "SECRET-FB-k"},
            {"id": "c", "text": "Kernels", "fraction": -1.0, "feedback": "SECRET-FB-kernels"},
        ],
    },
    "true_false": {
        "qtype": "true_false", "title": "SECRET-TITLE-tf", "text": "Attention weights sum to one.", "correct": True,
        "feedback_true": "SECRET-FB-true", "feedback_false": "SECRET-FB-false", "general_feedback": "SECRET-GF-tf",
    },
    "short_answer": {
        "qtype": "short_answer", "title": "SECRET-TITLE-short", "text": "Name the normalising function.",
        "answers": [
            {"text": "secretsoftmax", "fraction": 1.0, "feedback": "SECRET-FB-short"},
            {"text": "secretsoft*", "fraction": 0.5, "feedback": "SECRET-FB-partial"},
        ],
    },
    "numeric": {
        "qtype": "numeric", "title": "SECRET-TITLE-numeric", "text": "What is sqrt(64)?",
        "answers": [
            {"kind": "tolerance", "value": 8.0, "tolerance": 0.0, "fraction": 1.0, "feedback": "SECRET-FB-eight"},
            {"kind": "range", "min": 7.0, "max": 9.0, "fraction": 0.5, "feedback": "SECRET-FB-close"},
        ],
    },
    "matching": {
        "qtype": "matching", "title": "SECRET-TITLE-matching", "text": "Match the shapes.", "general_feedback": "SECRET-GF-match",
        "pairs": [
            {"id": "a", "left": "Q", "right": "n by d_k"},
            {"id": "b", "left": "Scores", "right": "n by n"},
        ],
        "distractors": ["d by d"],
    },
    "essay": {
        "qtype": "essay", "title": "SECRET-TITLE-essay", "text": "Explain why we scale by sqrt(d_k).",
        "grader_info": "SECRET-GRADER-info", "general_feedback": "SECRET-GF-essay", "default_mark": 2.0,
    },
}


@pytest.fixture
def make_quiz(cast):
    """make_quiz(qtypes=[...], **settings) -> a published quiz on cast.lesson with those questions."""
    from quizzes.models import Quiz
    from quizzes.services.questions import question_create

    counter = {"n": 0}

    def make(qtypes=("single_choice",), lesson=None, **settings):
        counter["n"] += 1
        values = {"title": f"Quiz {counter['n']}", "is_published": True, "shuffle_choices": False}
        values.update(settings)
        quiz = Quiz.objects.create(lesson=lesson or cast.lesson, slug=f"quiz-{counter['n']}", **values)
        for qtype in qtypes:
            question_create(quiz=quiz, spec=QUESTION_SPECS[qtype], user=cast.instructor)
        return quiz

    return make


# --- Attention lab ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def attention_worker():
    """A REAL Celery worker subprocess on this test process's own queue and Redis key prefix
    (config/settings/test.py), model loaded and answering a ping; stopped after the session."""
    from django.conf import settings

    from tests.lab_processes import WorkerProcess

    worker = WorkerProcess(
        redis_url=settings.REDIS_URL, queue=settings.ATTENTION_QUEUE, prefix=settings.ATTENTION_REDIS_PREFIX
    ).start()
    yield worker
    worker.stop()
