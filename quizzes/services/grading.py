"""Stored question versions meet the question types: version reads, spec checks, grading, and the
translation between an attempt's public ids and the ids stored in responses.

Responses are stored with the spec's own (authored) ids; a learner only ever sees and posts the
attempt's public ids (quizzes.qtypes.ids), translated here on the way in and out.
"""
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from quizzes import domain
from quizzes.domain.grading import state_for_fraction  # noqa: F401  (re-exported for services)
from quizzes.qtypes import PublicIds, public_view, qtype_for

from ..models import Attempt, QuestionVersion

# --- versions and specs ----------------------------------------------------------------------------


def latest_version_ids(question_ids: Iterable[int]) -> dict[int, int]:
    """question id → id of its highest-numbered version, in one query."""
    latest: dict[int, tuple[int, int]] = {}
    for question_id, number, version_id in QuestionVersion.objects.filter(question_id__in=list(question_ids)).values_list(
        "question_id", "number", "id"
    ):
        if question_id not in latest or number > latest[question_id][0]:
            latest[question_id] = (number, version_id)
    return {question_id: version_id for question_id, (_, version_id) in latest.items()}


def versions_by_id(version_ids: Iterable[int]) -> list[QuestionVersion]:
    return list(QuestionVersion.objects.filter(id__in=list(version_ids)))


def spec_clean(spec: dict) -> dict:
    """Validate spec JSON with the domain; the canonical JSON, or SpecInvalid / ValidationError by field."""
    try:
        parsed = spec if isinstance(spec, domain.QuestionSpec) else domain.spec_from_json(spec)
        qtype_for(parsed).validate(parsed)
    except domain.SpecError as error:
        raise _spec_error(error) from None
    return parsed.to_json()


def _spec_error(error: "domain.SpecError") -> ValidationError:
    """Field-keyed, teacher-readable; `.reason` keeps the domain's "field: message" for importers."""
    field_name = error.field.split("[")[0].split(".")[0] or "__all__"
    message = str(error) if error.field and error.field != field_name else error.message
    validation_error = ValidationError({field_name: ValidationError(message, code=error.code)})
    validation_error.reason = str(error)
    return validation_error


# --- grading ---------------------------------------------------------------------------------------


def grade_response(version: QuestionVersion, response: dict | None) -> "domain.GradeResult":
    qtype = qtype_for(version.spec)
    try:
        return qtype.grade(qtype.spec(version.spec), response or None)
    except domain.ResponseError:
        # A response stored before a regrade changed the question's shape: it no longer answers it.
        return domain.GradeResult(fraction=0.0, state="incorrect")


def response_check(version: QuestionVersion, response: dict) -> None:
    qtype = qtype_for(version.spec)
    try:
        qtype.grade(qtype.spec(version.spec), response or None)
    except domain.ResponseError as error:
        raise ValidationError(f"This answer does not fit the question: {error}", code="bad_response") from None


def is_answered(version: QuestionVersion, response: dict | None) -> bool:
    return bool(response) and grade_response(version, response).state != "unanswered"


# --- an attempt's public ids -------------------------------------------------------------------------


def attempt_ids(*, attempt: Attempt, question_id: int) -> PublicIds:
    return PublicIds(attempt.id_secret, question_id)


def public_question(*, attempt: Attempt, version: QuestionVersion) -> dict:
    """The public view in this attempt's ids and, where the quiz shuffles, this attempt's order."""
    seed = f"{attempt.shuffle_seed}:{version.question_id}" if attempt.quiz.shuffle_choices else None
    return public_view(version.spec, shuffle_seed=seed, ids=attempt_ids(attempt=attempt, question_id=version.question_id))


def public_response(*, attempt: Attempt, version: QuestionVersion, response: dict | None) -> dict | None:
    """A stored response (or right answer) in the attempt's public ids, as the API shows it."""
    if not response:
        return response
    qtype = qtype_for(version.spec)
    ids = attempt_ids(attempt=attempt, question_id=version.question_id)
    return qtype.response_to_public(qtype.spec(version.spec), response, ids)


def _attempt_version(attempt: Attempt, question_id: int) -> QuestionVersion:
    version_id = next((v for q, v in attempt.layout if q == question_id), None)
    if version_id is None:
        raise ValidationError("That question is not part of this attempt.", code="unknown_question")
    return QuestionVersion.objects.only("spec", "question_id").get(pk=version_id)


def response_from_public(*, attempt: Attempt, question_id: int, response) -> dict:
    """A response posted with the attempt's public ids (API, forms), in the spec's ids for storing."""
    if not isinstance(response, dict):
        raise ValidationError("The answer must be an object.", code="bad_response")
    version = _attempt_version(attempt, question_id)
    qtype = qtype_for(version.spec)
    try:
        return qtype.response_to_authored(qtype.spec(version.spec), response,
                                          attempt_ids(attempt=attempt, question_id=question_id))
    except domain.ResponseError as error:
        raise ValidationError(f"This answer does not fit the question: {error}", code="bad_response") from None


# --- forms: what the browser posts ----------------------------------------------------------------


def question_prefix(question_id: int) -> str:
    return f"q{question_id}"


def form_has_question(*, question_id: int, data) -> bool:
    return data.get(f"{question_prefix(question_id)}-present") == "1"


def unsure_from_form(*, question_id: int, data) -> bool | None:
    """The question's "not sure" box as posted: a checkbox sends its field only when ticked, so with the
    question's `-present` marker (the page and the autosave send it while the box shows) no field
    means unticked; without the marker, None (leave the mark as it is)."""
    if data.get(f"{question_prefix(question_id)}-unsure-shown") != "1":
        return None
    return data.get(f"{question_prefix(question_id)}-unsure") == "1"


def response_from_form(*, attempt: Attempt, question_id: int, data) -> dict:
    """The posted fields of one question, in the spec's ids for storing."""
    version = _attempt_version(attempt, question_id)
    posted = response_from_fields(spec=version.spec, prefix=question_prefix(question_id), data=data,
                                  ids=attempt_ids(attempt=attempt, question_id=question_id))
    return response_from_public(attempt=attempt, question_id=question_id, response=posted)


def response_from_fields(*, spec: dict, prefix: str, data, ids: PublicIds | None = None) -> dict:
    """The posted fields of one question (named `<prefix>-…`) as a response in the ids the form showed;
    shared by attempts and the authors' whole-quiz preview, so both read a form the same way."""
    qtype = qtype_for(spec)
    return qtype.response_from_fields(qtype.spec(spec), prefix=prefix, data=data, ids=ids or PublicIds(None))
