"""Writes of quiz overrides: create, change, delete. Each one checks the rules a person can act on,
records an audit entry in the same transaction, and moves the deadline of the learners' attempts in
progress (extra time given during an attempt counts at once, as in Moodle)."""
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from courses.models import Enrollment

from ..domain.control_characters import text_without_control_characters
from ..models import Attempt, AttemptState
from .effective import SETTINGS, quiz_settings_for
from .models import MAX_ATTEMPTS, MAX_TIME_LIMIT_MINUTES, LearnerGroup, OverrideAction, OverrideAuditEntry, QuizOverride

MAX_REASON_CHARS = 1000


def _snapshot(override: QuizOverride) -> dict:
    """An override's settings as JSON for the audit trail."""
    values = {name: getattr(override, name) for name in SETTINGS}
    values = {name: value.isoformat() if isinstance(value, datetime) else value for name, value in values.items()}
    return {**values, "reason": override.reason}


def _clean(*, quiz, values: dict) -> dict:
    """Type, range and date checks; the messages say what to change."""
    cleaned = {}
    for name, limit in (("time_limit_minutes", MAX_TIME_LIMIT_MINUTES), ("attempts_allowed", MAX_ATTEMPTS)):
        value = values.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit):
            raise ValidationError({name: ValidationError(f"Give a whole number from 0 to {limit}, or leave it empty.", code="out_of_range")})
        cleaned[name] = value
    for name in ("opens_at", "closes_at"):
        value = values.get(name)
        if value is not None and not isinstance(value, datetime):
            raise ValidationError({name: ValidationError("Give a date and time.", code="invalid")})
        cleaned[name] = value
    opens = cleaned["opens_at"] or quiz.opens_at
    closes = cleaned["closes_at"] or quiz.closes_at
    if opens and closes and closes <= opens:
        raise ValidationError({"closes_at": ValidationError(
            "With this override the quiz would close before it opens: choose a later closing time.", code="closes_before_opens")})
    if all(cleaned[name] is None for name in SETTINGS):
        raise ValidationError("Change at least one setting: an override with every field empty changes nothing.", code="empty_override")
    reason = values.get("reason") or ""
    if not isinstance(reason, str):
        raise ValidationError({"reason": ValidationError("The reason is text.", code="invalid")})
    reason = text_without_control_characters(reason).strip()
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError({"reason": ValidationError(f"Keep the reason under {MAX_REASON_CHARS} characters.", code="too_long")})
    cleaned["reason"] = reason
    return cleaned


def _check_subject(*, quiz, user: User | None, group: LearnerGroup | None) -> None:
    if (user is None) == (group is None):
        raise ValidationError("Choose either one learner or one group.", code="user_xor_group")
    if user is not None and not Enrollment.objects.filter(user=user, course_id=quiz.lesson.course_id).exists():
        raise ValidationError({"user": ValidationError("Only learners enrolled in this course can have an override.", code="not_enrolled")})
    if group is not None and group.course_id != quiz.lesson.course_id:
        raise ValidationError({"group": ValidationError("Choose a group of this quiz's course.", code="other_course")})


def _affected_user_ids(override: QuizOverride) -> list[int]:
    if override.user_id:
        return [override.user_id]
    return list(override.group.members.values_list("pk", flat=True))


def _move_open_deadlines(*, quiz, user_ids: list[int]) -> None:
    """Recompute the deadline of these learners' attempts in progress from the settings now in force."""
    for attempt in Attempt.objects.filter(quiz=quiz, user_id__in=user_ids, state=AttemptState.IN_PROGRESS).select_related("user"):
        deadline = quiz_settings_for(quiz=quiz, user=attempt.user).deadline_for(attempt.started_at)
        if deadline != attempt.deadline:
            Attempt.objects.filter(pk=attempt.pk, state=AttemptState.IN_PROGRESS).update(deadline=deadline)


def move_open_deadlines_of_group(*, group: LearnerGroup, user_ids) -> None:
    """After `user_ids` joined or left `group`: their attempts in progress at its quizzes follow."""
    for override in group.overrides.select_related("quiz"):
        _move_open_deadlines(quiz=override.quiz, user_ids=list(user_ids))


def _audit(*, override: QuizOverride, actor: User, action: str, before: dict, after: dict) -> None:
    OverrideAuditEntry.objects.create(quiz_id=override.quiz_id, override_id=override.pk, subject=override.subject_label,
                                      action=action, actor=actor, before=before, after=after)


def override_create(*, quiz, actor: User, user: User | None = None, group: LearnerGroup | None = None, **values) -> QuizOverride:
    """Give one learner or one group different settings for `quiz`."""
    _check_subject(quiz=quiz, user=user, group=group)
    cleaned = _clean(quiz=quiz, values=values)
    try:
        with transaction.atomic():
            override = QuizOverride.objects.create(quiz=quiz, user=user, group=group, created_by=actor, **cleaned)
            _audit(override=override, actor=actor, action=OverrideAction.CREATED, before={}, after=_snapshot(override))
            _move_open_deadlines(quiz=quiz, user_ids=_affected_user_ids(override))
    except IntegrityError:
        # Two requests (double click, two instructors) created the same override at once: the
        # partial unique constraints keep one, and the second is told to edit it instead.
        who = "This learner" if user is not None else "This group"
        raise ValidationError(f"{who} already has an override for this quiz: edit it instead.", code="duplicate") from None
    return override


def override_update(*, override: QuizOverride, actor: User, **values) -> QuizOverride:
    """Change an override's settings or reason (not whom it is for: delete and add for that)."""
    cleaned = _clean(quiz=override.quiz, values=values)
    with transaction.atomic():
        # Locked so two instructors saving at once leave an audit trail in the order the saves landed.
        locked = QuizOverride.objects.select_for_update(of=("self",)).select_related("user", "group").get(pk=override.pk)
        before = _snapshot(locked)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.save()
        after = _snapshot(locked)
        if after != before:
            _audit(override=locked, actor=actor, action=OverrideAction.CHANGED, before=before, after=after)
            _move_open_deadlines(quiz=locked.quiz, user_ids=_affected_user_ids(locked))
    return locked


def override_delete(*, override: QuizOverride, actor: User) -> None:
    with transaction.atomic():
        user_ids = _affected_user_ids(override)
        _audit(override=override, actor=actor, action=OverrideAction.DELETED, before=_snapshot(override), after={})
        QuizOverride.objects.filter(pk=override.pk).delete()
        _move_open_deadlines(quiz=override.quiz, user_ids=user_ids)
