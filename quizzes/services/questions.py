"""The versioned question bank: create, edit (new version once answered), duplicate, delete, reorder."""
import hashlib
import json
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from ..models import Answer, Question, QuestionVersion, Quiz
from ..pools.labels import question_labels_sync
from . import grading


def question_create(*, quiz: Quiz, spec: dict, user: User | None, repeat_window: timedelta | None = None) -> Question:
    """Add a question at the end of the quiz. Raises ValidationError keyed by spec field.

    With `repeat_window`, the same user posting the same question again within that time gets the
    question created the first time: a double click on "Add question" (or a resubmitted form after a
    slow response) must not add it twice. Imports leave it off, since a file may repeat a question.
    """
    clean = grading.spec_clean(spec)
    with transaction.atomic():
        if repeat_window is not None and user is not None:
            # Lock the quiz row so that two simultaneous posts take turns: the second one then sees
            # the first one's question. (SQLite's IMMEDIATE transactions serialise them the same way.)
            Quiz.objects.select_for_update().filter(pk=quiz.pk).first()
            recent = (
                QuestionVersion.objects.filter(
                    question__quiz=quiz, question__is_deleted=False, number=1, created_by=user,
                    created_at__gte=timezone.now() - repeat_window,
                )
                .select_related("question")
                .order_by("-id")
            )
            for version in recent:
                if version.spec == clean:
                    return version.question
        position = (Question.objects.filter(quiz=quiz).aggregate(p=Max("position"))["p"] or 0) + 1
        question = Question.objects.create(quiz=quiz, position=position)
        QuestionVersion.objects.create(question=question, number=1, spec=clean, created_by=user)
        question_labels_sync(question_id=question.id, spec=clean)
    return question


def spec_fingerprint(spec: dict) -> str:
    """A short hash of a question's content: the editor sends back the one it started from."""
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def question_update(*, question: Question, spec: dict, user: User | None, based_on: str | None = None) -> QuestionVersion:
    """Edit a question. A version that attempts have used is never changed: a new version is added.

    `based_on` is the fingerprint of the content the editor was opened with; when someone else saved
    the question in between, the edit is refused (code "stale") instead of silently undoing theirs.
    """
    clean = grading.spec_clean(spec)
    with transaction.atomic():
        latest = QuestionVersion.objects.select_for_update().filter(question=question).order_by("-number").first()
        if based_on and latest is not None and spec_fingerprint(latest.spec) != based_on:
            raise ValidationError(
                "Someone else saved this question while you were editing it. Your version is still in the "
                "form below; save again to replace theirs, or open the question afresh to see their changes.",
                code="stale",
            )
        question_labels_sync(question_id=question.id, spec=clean)  # pools filter by the latest version
        if latest is None or Answer.objects.filter(version=latest).exists():
            number = (latest.number if latest else 0) + 1
            return QuestionVersion.objects.create(question=question, number=number, spec=clean, created_by=user)
        latest.spec = clean
        latest.created_by = user
        latest.save(update_fields=["spec", "created_by"])
        return latest


def question_duplicate(*, question: Question, user: User | None) -> Question:
    """A copy of the latest version, placed right after the original."""
    latest = question.latest_version
    if latest is None:
        raise ValidationError("This question has no content to copy.", code="empty_question")
    spec = dict(latest.spec)
    if spec.get("title"):
        spec["title"] = f"{spec['title']} (copy)"
    with transaction.atomic():
        Question.objects.filter(quiz_id=question.quiz_id, position__gt=question.position).update(position=F("position") + 1)
        copy = Question.objects.create(quiz_id=question.quiz_id, position=question.position + 1)
        QuestionVersion.objects.create(question=copy, number=1, spec=spec, created_by=user)
        question_labels_sync(question_id=copy.id, spec=spec)
    return copy


def question_delete(*, question: Question) -> None:
    """Answered questions are hidden (attempts keep them); unanswered ones are removed."""
    with transaction.atomic():
        if Answer.objects.filter(question=question).exists():
            Question.objects.filter(pk=question.pk).update(is_deleted=True)
            question.is_deleted = True
        else:
            question.delete()


def question_move(*, question: Question, offset: int) -> None:
    """Move a question up (offset -1) or down (+1) among the quiz's live questions, renumbering 1..n."""
    with transaction.atomic():
        questions = list(
            Question.objects.select_for_update().filter(quiz_id=question.quiz_id, is_deleted=False).order_by("position", "id")
        )
        ids = [item.id for item in questions]
        if question.id not in ids:
            return
        index = ids.index(question.id)
        target = max(0, min(len(questions) - 1, index + offset))
        questions.insert(target, questions.pop(index))
        for position, item in enumerate(questions, start=1):
            if item.position != position:
                Question.objects.filter(pk=item.pk).update(position=position)
