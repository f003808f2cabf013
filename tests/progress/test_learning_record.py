"""The learning record: append-only, written by the pages that cause events, never breaking them."""
import logging
from unittest import mock

import pytest
from django.contrib.admin.sites import site
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from progress.models import AppendOnlyError, EventKind, LearningEvent
from progress.services import event_record, lab_use_record
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted(cast):
    event = LearningEvent.objects.create(kind=EventKind.LAB_USED, user=cast.student)
    event.count = 5
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        LearningEvent.objects.filter(pk=event.pk).update(count=5)
    with pytest.raises(AppendOnlyError):
        LearningEvent.objects.all().delete()
    assert LearningEvent.objects.get(pk=event.pk).count == 1


def test_admin_shows_the_record_read_only(cast):
    model_admin = site._registry[LearningEvent]
    request = RequestFactory().get("/")
    request.user = cast.admin
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_reading_and_completing_a_lesson_records_events(cast, django_capture_on_commit_callbacks):
    client = client_for(cast.student)
    url = reverse("courses:lesson_detail", args=[cast.course.slug, cast.lesson.slug])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
        client.post(reverse("courses:lesson_completion", args=[cast.course.slug, cast.lesson.slug]), {"completed": "1"})
    kinds = list(LearningEvent.objects.filter(user=cast.student).order_by("id").values_list("kind", "course_id", "lesson_id"))
    assert kinds == [
        (EventKind.LESSON_VIEWED, cast.course.id, cast.lesson.id),
        (EventKind.LESSON_VIEWED, cast.course.id, cast.lesson.id),
        (EventKind.LESSON_COMPLETED, cast.course.id, cast.lesson.id),
    ]


def test_quiz_attempts_record_start_and_submission_with_the_score(cast, make_quiz, django_capture_on_commit_callbacks):
    quiz = make_quiz(qtypes=["single_choice", "true_false"])
    with django_capture_on_commit_callbacks(execute=True):
        attempt = attempt_start(quiz=quiz, user=cast.student)
        question_id = attempt.layout[0][0]
        answer_save(attempt=attempt, question_id=question_id, response={"choice": "b"})
        attempt_submit(attempt=attempt)
        attempt_submit(attempt=attempt)  # a second click changes nothing and records nothing
    events = list(LearningEvent.objects.filter(user=cast.student).order_by("id"))
    assert [event.kind for event in events] == [EventKind.ATTEMPT_STARTED, EventKind.ATTEMPT_SUBMITTED]
    assert all(event.quiz_id == quiz.id and event.attempt_id == attempt.id and event.course_id == cast.course.id for event in events)
    assert events[1].score_percent == pytest.approx(50)  # one of two questions right


def test_lab_use_records_a_count_and_nothing_else(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lab_use_record(user=cast.student)
        lab_use_record(user=cast.student, count=3)
    assert sorted(LearningEvent.objects.filter(kind=EventKind.LAB_USED).values_list("count", flat=True)) == [1, 3]
    field_names = {field.name for field in LearningEvent._meta.get_fields()}
    assert not field_names & {"text", "input", "payload"}


def test_anonymous_visitors_record_nothing(django_capture_on_commit_callbacks):
    from django.contrib.auth.models import AnonymousUser

    with django_capture_on_commit_callbacks(execute=True):
        event_record(kind=EventKind.LAB_USED, user=AnonymousUser())
    assert not LearningEvent.objects.exists()


def test_a_rolled_back_action_leaves_no_event(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                lab_use_record(user=cast.student)
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass
    assert callbacks == [] and not LearningEvent.objects.exists()


def test_a_failing_write_is_logged_and_the_page_still_works(cast, caplog, django_capture_on_commit_callbacks):
    client = client_for(cast.student)
    url = reverse("courses:lesson_detail", args=[cast.course.slug, cast.lesson.slug])
    with mock.patch.object(LearningEvent.objects, "create", side_effect=RuntimeError("disk full")):
        with caplog.at_level(logging.ERROR, logger="progress.services"):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.get(url)
                completion = client.post(reverse("courses:lesson_completion", args=[cast.course.slug, cast.lesson.slug]))
    assert response.status_code == 200 and cast.lesson.title in response.content.decode()
    assert completion.status_code == 302
    assert "Could not write a learning event" in caplog.text
    assert not LearningEvent.objects.exists()
    # The lesson's own progress was still saved.
    assert cast.student.lesson_progress.get(lesson=cast.lesson).completed_at is not None


def test_a_database_error_in_the_write_does_not_break_the_surrounding_transaction(cast, django_capture_on_commit_callbacks):
    from progress.services import _event_write

    with transaction.atomic():
        # A score of 500 % violates the table's check constraint: the INSERT fails in the database.
        _event_write({"kind": EventKind.ATTEMPT_SUBMITTED, "user_id": cast.student.pk, "score_percent": 500})
        # The surrounding transaction is still usable, and the next write goes through.
        _event_write({"kind": EventKind.LAB_USED, "user_id": cast.student.pk})
    assert list(LearningEvent.objects.values_list("kind", flat=True)) == [EventKind.LAB_USED]
