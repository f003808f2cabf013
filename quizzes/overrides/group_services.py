"""Writes of learner groups: create, rename, change members, delete. The pages and the API share them.

Who belongs to a group with an override is the override's real content (who gets the extra time),
so a membership change is written to the audit trail of every quiz the group has an override for,
and the attempts in progress of whoever joined or left follow the settings now in force.
"""
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ..domain.control_characters import text_without_control_characters
from .models import LearnerGroup, OverrideAction, OverrideAuditEntry
from .services import move_open_deadlines_of_group, override_delete

MAX_NAME_CHARS = LearnerGroup._meta.get_field("name").max_length
MAX_MEMBERS = 10_000  # far above a course's accommodation groups; bounds one request's work


def clean_group_name(name) -> str:
    if not isinstance(name, str):
        raise ValidationError({"name": ValidationError("The group name is text.", code="invalid")})
    name = text_without_control_characters(name).strip()
    if not name:
        raise ValidationError({"name": ValidationError("Give the group a name.", code="required")})
    if len(name) > MAX_NAME_CHARS:
        raise ValidationError({"name": ValidationError(f"Keep the group name under {MAX_NAME_CHARS} characters.", code="too_long")})
    return name


def _clean_members(*, course_id: int, member_ids: Iterable[int]) -> set[int]:
    members = set(member_ids)
    if len(members) > MAX_MEMBERS:
        raise ValidationError({"members": ValidationError(f"A group has at most {MAX_MEMBERS:,} members.", code="too_many")})
    enrolled = set(User.objects.filter(enrollments__course_id=course_id, pk__in=members).values_list("pk", flat=True))
    if members - enrolled:
        # Ids of other courses' learners read like ids that do not exist: nothing about them leaks.
        raise ValidationError({"members": ValidationError("Only learners enrolled in this course can be members.", code="not_enrolled")})
    return members


def _audit_members(*, group: LearnerGroup, actor: User, before: set[int], after: set[int]) -> None:
    names = dict(User.objects.filter(pk__in=before | after).values_list("pk", "username"))

    def listed(ids: set[int]) -> dict:
        return {"members": sorted(names[pk] for pk in ids)}

    OverrideAuditEntry.objects.bulk_create([
        OverrideAuditEntry(quiz_id=override.quiz_id, override_id=override.pk, subject=override.subject_label,
                           action=OverrideAction.MEMBERS, actor=actor, before=listed(before), after=listed(after))
        for override in group.overrides.select_related("group")
    ])


def group_save(*, course_id: int, actor: User, name, member_ids: Iterable[int], group: LearnerGroup | None = None) -> LearnerGroup:
    """Create a group of `course_id` (group None) or change one; a name the course already uses is
    refused, also when two saves race."""
    name = clean_group_name(name)
    members = _clean_members(course_id=course_id, member_ids=member_ids)
    try:
        with transaction.atomic():
            if group is None:
                group, before = LearnerGroup.objects.create(course_id=course_id, name=name), set()
            else:
                # Locked so two instructors changing members at once audit them in the order they landed.
                group = LearnerGroup.objects.select_for_update().get(pk=group.pk)
                before = set(group.members.values_list("pk", flat=True))
                if group.name != name:
                    group.name = name
                    group.save(update_fields=["name"])
            if members != before:
                group.members.set(members)
                _audit_members(group=group, actor=actor, before=before, after=members)
                move_open_deadlines_of_group(group=group, user_ids=before ^ members)
    except IntegrityError:
        raise ValidationError({"name": ValidationError("This course already has a group with that name.", code="duplicate")}) from None
    return group


def group_delete(*, group: LearnerGroup, actor: User) -> None:
    """Deleting a group deletes its overrides too (they were for its members); the audit trail keeps them."""
    with transaction.atomic():
        for override in group.overrides.select_related("quiz", "group"):
            override_delete(override=override, actor=actor)
        group.delete()
