"""Attempts: start, autosave, submit (exactly once), auto-submit at the deadline, essay grading.

Time limits are enforced here, not in the browser: an attempt's deadline is its start plus the time
limit, capped by the quiz's closing time, both as the learner's overrides make them (quizzes.overrides).
Saves after the deadline are refused; an attempt past its deadline is submitted with what was saved,
lazily whenever anyone touches it (attempt_submit_if_overdue) and by the periodic sweep `manage.py submit_overdue_attempts` (cron/systemd timer, every minute).
"""
import secrets
from datetime import datetime, timedelta
import random

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from ..domain.control_characters import response_without_control_characters
from ..models import Answer, Attempt, AttemptState, Question, Quiz
from ..overrides.effective import quiz_settings_for
from ..permissions import can_take_quiz
from ..pools.draw import drawn_questions_record, random_slots_layout
from ..review.services import review_cards_add_from_attempt
from . import grading
from ..behaviours import behaviour_for
from .behaviour_grading import answer_grade

# A save that left the browser just before the deadline may arrive a moment after it.
SAVE_GRACE = timedelta(seconds=2)
# The largest answer we store; an essay of a few thousand words fits easily.
MAX_RESPONSE_CHARS = 50_000


def _now() -> datetime:
    return timezone.now()


def attempts_left(*, quiz: Quiz, user: User) -> int | None:
    """How many more attempts `user` may start (their overrides counted); None means unlimited."""
    settings = quiz_settings_for(quiz=quiz, user=user)
    if not settings.attempts_allowed:
        return None
    return settings.attempts_left(Attempt.objects.filter(quiz=quiz, user=user).count())


def quiz_is_open(*, quiz: Quiz, user: User | None = None, now: datetime | None = None) -> bool:
    """Whether `user` (their overrides counted; None: by the quiz's own dates) may start an attempt now."""
    return quiz_settings_for(quiz=quiz, user=user).is_open(now or _now())


def attempt_start(*, quiz: Quiz, user: User) -> Attempt:
    """Start an attempt, or return the one already in progress (double click, second tab)."""
    if not can_take_quiz(user, quiz):
        raise ValidationError("Enroll in the course to take this quiz.", code="not_allowed")
    open_attempt = Attempt.objects.filter(quiz=quiz, user=user, state=AttemptState.IN_PROGRESS).first()
    if open_attempt is not None:
        open_attempt = attempt_submit_if_overdue(attempt=open_attempt)
        if open_attempt.state == AttemptState.IN_PROGRESS:
            return open_attempt
    now = _now()
    settings = quiz_settings_for(quiz=quiz, user=user)  # the learner's overrides counted
    if settings.opens_at and now < settings.opens_at:
        raise ValidationError(
            f"This quiz opens on {timezone.localtime(settings.opens_at):%d %B %Y at %H:%M}.", code="not_open_yet"
        )
    if settings.is_closed(now):
        raise ValidationError("This quiz is closed.", code="closed")
    if settings.attempts_left(Attempt.objects.filter(quiz=quiz, user=user).count()) == 0:
        raise ValidationError("You have used all your attempts at this quiz.", code="no_attempts_left")
    layout, seed, drawn = _layout_for(quiz, user)
    if not layout:
        raise ValidationError("This quiz has no questions yet.", code="empty_quiz")
    deadline = settings.deadline_for(now)
    versions = {version.id: version for version in grading.versions_by_id([v for _, v in layout])}
    try:
        with transaction.atomic():
            number = (Attempt.objects.filter(quiz=quiz, user=user).aggregate(n=Max("number"))["n"] or 0) + 1
            attempt = Attempt.objects.create(
                quiz=quiz,
                user=user,
                number=number,
                shuffle_seed=seed,
                layout=layout,
                deadline=deadline,
                max_marks=sum(versions[version_id].max_mark for _, version_id in layout),
            )
            # One row per question from the start: a save is then a plain UPDATE (no insert race),
            # and a version with Answer rows is known to be in use and never edited in place.
            Answer.objects.bulk_create(
                Answer(attempt=attempt, question_id=question_id, version_id=version_id) for question_id, version_id in layout
            )
            drawn_questions_record(quiz=quiz, question_ids=drawn)
    except IntegrityError:
        # A second request (double click, another tab) started one between our check and insert:
        # the partial unique constraint "one open attempt per quiz and user" refused ours.
        existing = Attempt.objects.filter(quiz=quiz, user=user, state=AttemptState.IN_PROGRESS).first()
        if existing is None:
            raise
        return existing
    return attempt


def _layout_for(quiz: Quiz, user: User) -> tuple[list[list[int]], int, list[int]]:
    """The latest version of each live question, then the random slots' draws (quizzes.pools), in quiz
    order or shuffled stably by the attempt's seed."""
    seed = secrets.randbits(62)
    questions = Question.objects.filter(quiz=quiz, is_deleted=False).order_by("position", "id")
    latest = grading.latest_version_ids([question.id for question in questions])
    layout = [[question.id, latest[question.id]] for question in questions if question.id in latest]
    drawn = random_slots_layout(quiz=quiz, user=user, seed=seed, taken={question_id for question_id, _ in layout})
    layout += drawn
    if quiz.shuffle_questions:
        random.Random(seed).shuffle(layout)
    return layout, seed, [question_id for question_id, _ in drawn]


def attempt_deadline_passed(*, attempt: Attempt, now: datetime | None = None, grace: timedelta = timedelta(0)) -> bool:
    return attempt.deadline is not None and (now or _now()) > attempt.deadline + grace


def attempt_submit_if_overdue(*, attempt: Attempt) -> Attempt:
    """Submit, with what was saved, an attempt whose time ran out. Safe to call on every access."""
    if attempt.state == AttemptState.IN_PROGRESS and attempt_deadline_passed(attempt=attempt, grace=SAVE_GRACE):
        return attempt_submit(attempt=attempt, auto=True)
    return attempt


def attempts_submit_overdue() -> int:
    """The periodic sweep: submit every overdue attempt. Returns how many it submitted."""
    overdue = Attempt.objects.filter(state=AttemptState.IN_PROGRESS, deadline__lt=_now() - SAVE_GRACE)
    submitted = 0
    for attempt in overdue.iterator():
        if attempt_submit(attempt=attempt, auto=True).auto_submitted:
            submitted += 1
    return submitted


def answer_save(*, attempt: Attempt, question_id: int, response: dict, unsure: bool | None = None) -> Answer:
    """Autosave one answer. The last save to arrive wins; nothing is graded yet.

    Every way in (page autosave, the no-JavaScript form, the API) comes through here, so control
    characters are removed here, once, before PostgreSQL's jsonb could refuse them. `unsure`: the
    learner's "not sure" mark (None: leave it as it is); it only feeds the review queue.
    """
    if not isinstance(response, dict):
        raise ValidationError("The answer must be an object.", code="bad_response")
    if unsure is not None and not isinstance(unsure, bool):
        raise ValidationError("“Not sure” is true or false.", code="bad_unsure")
    response = response_without_control_characters(response)
    if len(str(response)) > MAX_RESPONSE_CHARS:
        raise ValidationError("This answer is too long to save.", code="too_long")
    now = _now()
    with transaction.atomic():
        # Lock the attempt so a save cannot slip in between submit reading the answers and grading them.
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.state != AttemptState.IN_PROGRESS:
            raise ValidationError("This attempt has been submitted; answers can no longer change.", code="submitted")
        if attempt_deadline_passed(attempt=locked, now=now, grace=SAVE_GRACE):
            overdue = True
        else:
            overdue = False
            answer = Answer.objects.select_related("version").filter(attempt=locked, question_id=question_id).first()
            if answer is None:
                raise ValidationError("That question is not part of this attempt.", code="unknown_question")
            if answer.finished and response != answer.response:
                raise ValidationError("This question is finished (checked for the last time); its answer can no "
                                      "longer change.", code="finished")
            grading.response_check(answer.version, response)  # refuses a response of the wrong shape
            changed = []
            if not answer.finished:  # a late autosave of the checked answer itself changes nothing
                answer.response, answer.saved_at = response, now
                changed += ["response", "saved_at"]
            if unsure is not None and unsure != answer.unsure:  # a finished question can still be marked for review
                answer.unsure = unsure
                changed.append("unsure")
            if changed:
                answer.save(update_fields=changed)
    if overdue:
        attempt_submit(attempt=locked, auto=True)
        raise ValidationError(
            "Time is up: this answer arrived after the deadline and was not saved. "
            "Your attempt was submitted with the answers saved before then.",
            code="deadline_passed",
        )
    return answer


def answer_unsure_set(*, attempt: Attempt, question_id: int, unsure: bool) -> None:
    """The "not sure" mark alone, while the attempt is open: a Check carries it beside the answer it
    checks, and one conditional UPDATE keeps it without a second save of the answer."""
    Answer.objects.filter(attempt_id=attempt.pk, question_id=question_id, attempt__state=AttemptState.IN_PROGRESS) \
        .exclude(unsure=unsure).update(unsure=unsure)


def attempt_submit(*, attempt: Attempt, auto: bool = False) -> Attempt:
    """Grade and close the attempt exactly once, however many tabs or clicks ask for it."""
    with transaction.atomic():
        # Two tabs or a double click can submit the same attempt at the same moment. The row lock
        # makes the second request wait for the first to commit; it then sees "submitted" and
        # returns without grading again. (SQLite has no row locks; its IMMEDIATE transactions
        # serialise writers the same way.)
        # The learner, quiz, lesson and course come along in the same query (the review queue and the
        # learning record read them); only the attempt's own row is locked.
        locked = Attempt.objects.select_for_update(of=("self",)).select_related("quiz__lesson__course", "user").get(pk=attempt.pk)
        if locked.state != AttemptState.IN_PROGRESS:
            return locked
        answers = list(Answer.objects.filter(attempt=locked).select_related("version"))
        for answer in answers:
            answer.attempt = locked  # its quiz's behaviour decides how checked tries count
            _grade_answer(answer)
            # One short UPDATE per answer: building bulk_update's CASE expressions costs more CPU than
            # the ten round trips (bench/README.md, "Submit latency without a quiz-wide lock").
            Answer.objects.filter(pk=answer.pk).update(fraction=answer.fraction, marks=answer.marks, state=answer.state, feedback=answer.feedback)
        locked.state = AttemptState.SUBMITTED
        locked.submitted_at = _now()
        locked.auto_submitted = auto
        _total(locked, answers)
        # Missed questions enter the learner's review queue (practice only; idempotent). Before the
        # save: saving the attempt refreshes the quiz's summary rows under their lock, which every
        # submit of the quiz waits for, so nothing else should run after it in this transaction.
        review_cards_add_from_attempt(attempt=locked, answers=answers)
        locked.save(update_fields=["state", "submitted_at", "auto_submitted", "marks", "max_marks", "needs_grading"])
    return locked


def _grade_answer(answer: Answer) -> None:
    answer_grade(answer, behaviour_for(answer.attempt.quiz))


def _total(attempt: Attempt, answers: list[Answer]) -> None:
    attempt.max_marks = sum(answer.version.max_mark for answer in answers)
    attempt.marks = sum(answer.marks or 0.0 for answer in answers)
    attempt.needs_grading = any(answer.state == "needs_grading" for answer in answers)


def essay_grade(*, answer: Answer, fraction: float, comment: str, grader: User) -> Answer:
    """An instructor grades an essay (or overrides any answer); the attempt's marks follow."""
    if not 0.0 <= fraction <= 1.0:
        raise ValidationError({"fraction": ValidationError("Give a grade between 0 % and 100 %.", code="out_of_range")})
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=answer.attempt_id)
        if attempt.state != AttemptState.SUBMITTED:
            raise ValidationError("Only submitted attempts can be graded.", code="not_submitted")
        answer = Answer.objects.select_related("version").get(pk=answer.pk)
        answer.fraction = fraction
        answer.marks = fraction * answer.version.max_mark
        answer.state = grading.state_for_fraction(fraction)
        answer.grader_comment = comment
        answer.graded_by = grader
        answer.save(update_fields=["fraction", "marks", "state", "grader_comment", "graded_by"])
        answers = list(Answer.objects.filter(attempt=attempt).select_related("version"))
        _total(attempt, answers)
        attempt.save(update_fields=["marks", "max_marks", "needs_grading"])
    return answer

