"""Checking one question during an attempt (the immediate and interactive behaviours): a try is saved,
graded and counted under the attempt's row lock, so a double click or a replay cannot use two tries.

What a check may do is the quiz behaviour's to say (quizzes.behaviours); nothing here names one.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from quizzes import domain

from ..behaviours import behaviour_for
from ..domain.control_characters import response_without_control_characters
from ..models import Answer, Attempt, AttemptState
from . import grading
from .attempts import MAX_RESPONSE_CHARS, SAVE_GRACE, attempt_deadline_passed, attempt_submit
from .behaviour_grading import answer_grade, behaviour_grade, checkable


def answer_check(*, attempt: Attempt, question_id: int, response: dict) -> Answer:
    """Save `response` (spec ids) as a try at one question and grade it; finishes the question when the
    behaviour says so. Refuses what would use a try that does not exist, with a reason a learner can act on."""
    if not isinstance(response, dict):
        raise ValidationError("The answer must be an object.", code="bad_response")
    response = response_without_control_characters(response)
    if len(str(response)) > MAX_RESPONSE_CHARS:
        raise ValidationError("This answer is too long to save.", code="too_long")
    now = timezone.now()
    with transaction.atomic():
        # A double click or a replayed request must not use two tries, nor re-open a finished question:
        # the attempt row lock queues checks, saves and the submission of one attempt behind each other.
        locked = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        if locked.state != AttemptState.IN_PROGRESS:
            raise ValidationError("This attempt has been submitted; answers can no longer change.", code="submitted")
        overdue = attempt_deadline_passed(attempt=locked, now=now, grace=SAVE_GRACE)
        if not overdue:
            answer = _checked(locked, question_id, response, now)
    if overdue:
        attempt_submit(attempt=locked, auto=True)
        raise ValidationError("Time is up: your attempt was submitted with the answers saved before the deadline.",
                              code="deadline_passed")
    return answer


def _checked(attempt: Attempt, question_id: int, response: dict, now) -> Answer:
    answer = Answer.objects.select_for_update().select_related("version").filter(
        attempt=attempt, question_id=question_id).first()
    if answer is None:
        raise ValidationError("That question is not part of this attempt.", code="unknown_question")
    behaviour = behaviour_for(attempt.quiz)
    if not checkable(behaviour=behaviour, version=answer.version):
        raise ValidationError("This question is graded when you submit the attempt; it has no Check.", code="not_checkable")
    if answer.finished:
        raise ValidationError("This question is finished; its answer can no longer change.", code="finished")
    grading.response_check(answer.version, response)  # refuses a response of the wrong shape
    result = grading.grade_response(answer.version, response)
    if result.state == domain.grading.UNANSWERED:
        raise ValidationError("Answer the question before checking it.", code="no_answer")
    answer.tries = [*answer.tries, {"response": response, "fraction": result.fraction, "at": now.isoformat()}]
    answer.response, answer.saved_at = response, now
    answer_grade(answer, behaviour)
    _, outcome = behaviour_grade(behaviour=behaviour, version=answer.version, response=response, tries=answer.tries)
    answer.finished = outcome.finished
    if not answer.finished:
        # Still open: no grade is stored until the question finishes or the attempt is submitted.
        answer.fraction = answer.marks = None
        answer.state, answer.feedback = "", []
    answer.save(update_fields=["tries", "response", "saved_at", "finished", "fraction", "marks", "state", "feedback"])
    return answer
