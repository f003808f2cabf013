"""The one rule: which open and close times, time limit and attempt limit apply to a learner.

Moodle's rule: a learner's own override beats their groups'; among several groups' overrides each
setting takes the most generous value (earliest opening, latest closing, longest time, most
attempts, "none"/"unlimited" beating any number); an empty field falls through to the quiz.
Every reader (attempt start, deadlines, the quiz page, the API, review "after close", the
gradebook) asks `quiz_settings_for` or its bulk twin, never the quiz's own fields.
"""
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, Q
from django.utils import timezone

from .models import QuizOverride

SETTINGS = ("opens_at", "closes_at", "time_limit_minutes", "attempts_allowed")


@dataclass(frozen=True)
class EffectiveQuizSettings:
    opens_at: datetime | None
    closes_at: datetime | None
    time_limit_minutes: int | None  # None: no time limit
    attempts_allowed: int  # 0: unlimited
    overridden_by: str | None = None  # "user", "group" or None: where a setting differs from the quiz's

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return not (self.opens_at and now < self.opens_at) and not (self.closes_at and now >= self.closes_at)

    def is_closed(self, now: datetime | None = None) -> bool:
        return bool(self.closes_at and (now or timezone.now()) >= self.closes_at)

    def attempts_left(self, used: int) -> int | None:
        """How many more attempts after `used`; None means unlimited."""
        return None if not self.attempts_allowed else max(0, self.attempts_allowed - used)

    def deadline_for(self, started_at: datetime) -> datetime | None:
        """When an attempt started at `started_at` must be submitted: the time limit, capped by closing."""
        deadline = started_at + timedelta(minutes=self.time_limit_minutes) if self.time_limit_minutes else None
        if self.closes_at:
            deadline = min(deadline, self.closes_at) if deadline else self.closes_at
        return deadline


def quiz_defaults(quiz) -> EffectiveQuizSettings:
    return EffectiveQuizSettings(opens_at=quiz.opens_at, closes_at=quiz.closes_at,
                                 time_limit_minutes=quiz.time_limit_minutes or None,
                                 attempts_allowed=quiz.attempts_allowed or 0)


def _most_generous(name: str, values: list):
    """Among groups' values of one setting (None: not set by that group): the kindest to the learner."""
    values = [value for value in values if value is not None]
    if not values:
        return None
    if name == "opens_at":
        return min(values)
    if name in ("time_limit_minutes", "attempts_allowed") and 0 in values:
        return 0  # 0 means none/unlimited: nothing is more generous
    return max(values)


def settings_from_overrides(quiz, user_override: QuizOverride | None,
                            group_overrides: Iterable[QuizOverride]) -> EffectiveQuizSettings:
    """The rule itself, on overrides already fetched (the bulk readers use it too)."""
    group_overrides = list(group_overrides)
    base = quiz_defaults(quiz)
    chosen = {}
    source = None
    for name in SETTINGS:
        value = getattr(user_override, name) if user_override is not None else None
        origin = "user"
        if value is None:
            value, origin = _most_generous(name, [getattr(o, name) for o in group_overrides]), "group"
        if value is not None:
            chosen[name] = value
            source = "user" if "user" in (source, origin) else origin
    if "time_limit_minutes" in chosen:
        chosen["time_limit_minutes"] = chosen["time_limit_minutes"] or None  # 0 → no limit
    return replace(base, **chosen, overridden_by=source) if chosen else base


def quiz_settings_for(*, quiz, user: User | AnonymousUser | None) -> EffectiveQuizSettings:
    """The settings that apply to `user` for `quiz` (the quiz's own for anonymous users). One query."""
    if user is None or not user.is_authenticated:
        return quiz_defaults(quiz)
    overrides = list(QuizOverride.objects.filter(Q(user=user) | Q(group__members=user), quiz=quiz).distinct())
    user_override = next((o for o in overrides if o.user_id == user.pk), None)
    return settings_from_overrides(quiz, user_override, [o for o in overrides if o.group_id])


def quiz_settings_for_users(*, quiz, user_ids: Iterable[int]) -> dict[int, EffectiveQuizSettings]:
    """user id → settings, only for the learners an override touches (everyone else: quiz_defaults).

    A constant number of queries however many learners: for gradebooks and the overrides page.
    """
    found = overridden_settings_for_users(quizzes=[quiz], user_ids=user_ids)
    return {user_id: settings for (user_id, _), settings in found.items()}


def overridden_settings_for_users(*, quizzes: Iterable, user_ids: Iterable[int]) -> dict[tuple[int, int], EffectiveQuizSettings]:
    """(user id, quiz id) → settings, only for the pairs an override touches: the gradebook's bulk reader.

    Two queries (the overrides, their groups' members among `user_ids`) however many learners and quizzes.
    """
    quizzes = {quiz.id: quiz for quiz in quizzes}
    user_ids = set(user_ids)
    if not quizzes or not user_ids:
        return {}
    members = Prefetch("group__members", queryset=User.objects.filter(pk__in=user_ids).only("id"))
    overrides = list(QuizOverride.objects.filter(Q(user_id__in=user_ids) | Q(group__isnull=False), quiz_id__in=list(quizzes))
                     .select_related("group").prefetch_related(members))
    by_pair: dict[tuple[int, int], QuizOverride] = {(o.user_id, o.quiz_id): o for o in overrides if o.user_id in user_ids}
    groups_of: dict[tuple[int, int], list[QuizOverride]] = {}
    for override in overrides:
        if override.group_id:
            for member in override.group.members.all():
                groups_of.setdefault((member.pk, override.quiz_id), []).append(override)
    return {(user_id, quiz_id): settings_from_overrides(quizzes[quiz_id], by_pair.get((user_id, quiz_id)), groups_of.get((user_id, quiz_id), []))
            for user_id, quiz_id in by_pair.keys() | groups_of.keys()}


def overridden_settings_for_user(*, quizzes: Iterable, user: User) -> dict[int, EffectiveQuizSettings]:
    """quiz id → settings, for the quizzes among `quizzes` where `user` has an override. One query."""
    quizzes = {quiz.id: quiz for quiz in quizzes}
    overrides = QuizOverride.objects.filter(Q(user=user) | Q(group__members=user), quiz_id__in=list(quizzes)).distinct()
    by_quiz: dict[int, list[QuizOverride]] = {}
    for override in overrides:
        by_quiz.setdefault(override.quiz_id, []).append(override)
    return {
        quiz_id: settings_from_overrides(quizzes[quiz_id], next((o for o in found if o.user_id), None), [o for o in found if o.group_id])
        for quiz_id, found in by_quiz.items()
    }
