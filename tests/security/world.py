"""A populated course for the security and fault tests: quizzes with attempts, progress and essays owned by `student`.

`classmate` is enrolled in the same course and owns nothing, so every id below is "someone else's"
for them: the IDOR probes use it.
"""
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from courses.models import Enrollment, LessonProgress
from quizzes.review.models import ReviewCard
from courses.services import lesson_complete


@dataclass
class World:
    cast: object
    quiz: object  # published, student has an attempt in progress
    question: object  # the single-choice question of `quiz`
    open_attempt: object
    done_quiz: object  # published, student submitted an attempt with an essay waiting for a mark
    done_attempt: object
    essay_answer: object
    progress: LessonProgress
    enrollment: Enrollment
    review_card: object  # in student's review queue (the done quiz's single-choice question), due now

    def __getattr__(self, name):  # world.student, world.course … come from the cast
        return getattr(self.cast, name)


@pytest.fixture
def world(cast, make_quiz) -> World:
    from quizzes.services import attempts as attempt_services

    quiz = make_quiz(qtypes=("single_choice", "essay"))
    open_attempt = attempt_services.attempt_start(quiz=quiz, user=cast.student)
    done_quiz = make_quiz(qtypes=("single_choice", "essay"))
    done_attempt = attempt_services.attempt_start(quiz=done_quiz, user=cast.student)
    essay_id = done_quiz.questions.order_by("position", "id").last().pk  # make_quiz adds them in order
    attempt_services.answer_save(attempt=done_attempt, question_id=essay_id, response={"text": "Because variance grows."})
    done_attempt = attempt_services.attempt_submit(attempt=done_attempt)
    lesson_complete(user=cast.student, lesson=cast.lesson)
    return World(
        cast=cast,
        quiz=quiz,
        question=quiz.questions.order_by("position", "id").first(),
        open_attempt=open_attempt,
        done_quiz=done_quiz,
        done_attempt=done_attempt,
        essay_answer=done_attempt.answers.get(question_id=essay_id),
        progress=LessonProgress.objects.get(user=cast.student, lesson=cast.lesson),
        enrollment=Enrollment.objects.get(user=cast.student, course=cast.course),
        # submitting the missed question queued it already; make sure it is due now
        review_card=ReviewCard.objects.update_or_create(
            user=cast.student, question=done_quiz.questions.order_by("position", "id").first(),
            defaults={"source_attempt": done_attempt, "due": timezone.now()})[0],
    )


def user_for(world: World, role: str) -> User | None:
    return None if role == "anonymous" else getattr(world.cast, role)


def override_in(world: World):
    """The student's override of `world.quiz` (extra time), made on first use, with its audit entry."""
    from quizzes.overrides.models import QuizOverride
    from quizzes.overrides.services import override_create

    existing = QuizOverride.objects.filter(quiz=world.quiz, user=world.student).first()
    return existing or override_create(quiz=world.quiz, actor=world.instructor, user=world.student, time_limit_minutes=90)


def group_in(world: World):
    """A learner group of `world.course` (the subject of group overrides), made on first use."""
    from quizzes.overrides.models import LearnerGroup

    return LearnerGroup.objects.get_or_create(course=world.course, name="Extra time")[0]
