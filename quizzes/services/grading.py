"""The bridge between stored question versions and quizzes.domain: grading, the public view, forms, review.

Everything a learner's browser receives about a question is built here, and before review only
from `public_view` (texts and ids: no weights, feedback or right answers). Review details are added
item by item, only for what the quiz's review options reveal.
"""
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape, linebreaks

from courses.markdown import render_markdown_preview, sanitise_html
from quizzes import domain
from quizzes.domain.grading import state_for_fraction  # noqa: F401  (re-exported for services)

from ..models import Answer, Attempt, QuestionVersion

STATE_LABELS = {
    "correct": "Correct",
    "partial": "Partly correct",
    "incorrect": "Incorrect",
    "unanswered": "Not answered",
    "needs_grading": "Awaiting grading",
}


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
        parsed.validate()
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
    try:
        return domain.grade(version.spec, response or None)
    except domain.ResponseError:
        # A response stored before a regrade changed the question's shape: it no longer answers it.
        return domain.GradeResult(fraction=0.0, state="incorrect")


def response_check(version: QuestionVersion, response: dict) -> None:
    try:
        domain.grade(version.spec, response or None)
    except domain.ResponseError as error:
        raise ValidationError(f"This answer does not fit the question: {error}", code="bad_response") from None


def is_answered(version: QuestionVersion, response: dict | None) -> bool:
    return bool(response) and grade_response(version, response).state != "unanswered"


# --- text formats ----------------------------------------------------------------------------------


def parse_text(text: str, fmt: str) -> list[tuple[int, "domain.QuestionSpec"]]:
    from .importing import ImportRejected

    try:
        parsed = domain.parse_gift(text) if fmt == "gift" else domain.parse_markdown_quiz(text)
    except domain.QuizTextError as error:  # GIFT's or Markdown's: both say the line and why
        raise ImportRejected(error.line, error.message) from None
    return [(item.line, item.spec) for item in parsed]


def write_text(specs: list[dict], fmt: str) -> str:
    objects = [domain.spec_from_json(spec) for spec in specs]
    return domain.write_gift(objects) if fmt == "gift" else domain.write_markdown_quiz(objects)


def render_text(text: str, text_format: str | None) -> str:
    """Question texts as safe HTML: Markdown rendered, HTML sanitised, plain text escaped."""
    if not text:
        return ""
    if text_format == "markdown":
        return render_markdown_preview(text)  # over the Markdown limits: the reason, never a slow render
    if text_format == "html":
        return sanitise_html(text)
    if text_format == "moodle":  # Moodle auto-format: HTML allowed, newlines are line breaks
        return sanitise_html(linebreaks(text) if "<" not in text else text)
    return linebreaks(escape(text))


# --- forms: what the browser posts, and what it is shown ------------------------------------------


def _prefix(question_id: int) -> str:
    return f"q{question_id}"


def form_has_question(*, question_id: int, data) -> bool:
    return data.get(f"{_prefix(question_id)}-present") == "1"


def response_from_form(*, attempt: Attempt, question_id: int, data) -> dict:
    """Turn the posted fields of one question into the domain's response shape."""
    version_id = next((v for q, v in attempt.layout if q == question_id), None)
    if version_id is None:
        raise ValidationError("That question is not part of this attempt.", code="unknown_question")
    spec = QuestionVersion.objects.only("spec").get(pk=version_id).spec
    return response_from_fields(spec=spec, prefix=_prefix(question_id), data=data)


def response_from_fields(*, spec: dict, prefix: str, data) -> dict:
    """The posted fields of one question (named `<prefix>-…`) in the shape `grade` takes; shared by
    attempts and the authors' whole-quiz preview, so both read a form the same way."""
    qtype = spec.get("qtype")
    if qtype == "single_choice":
        return {"choice": data.get(f"{prefix}-choice") or None}
    if qtype == "multiple_response":
        return {"choices": [value for value in data.getlist(f"{prefix}-choice") if value]}
    if qtype == "true_false":
        value = data.get(f"{prefix}-choice")
        return {"value": None if value not in ("true", "false") else value == "true"}
    if qtype == "numeric":
        return {"value": data.get(f"{prefix}-text", "")}
    if qtype == "matching":
        return {"pairs": {pair["id"]: data.get(f"{prefix}-match-{pair['id']}") or None for pair in spec.get("pairs", [])}}
    if qtype == "attention_token":
        token = (data.get(f"{prefix}-token") or "").strip()
        return {"token": int(token) if token.isdigit() else token or None}
    return {"text": data.get(f"{prefix}-text", "")}


@dataclass
class Option:
    value: str
    label: str
    label_html: str
    checked: bool = False
    right: bool = False
    feedback_html: str = ""
    verdict: str = ""  # for a picked option once correctness shows: "correct", "partial" or "incorrect"


@dataclass
class Stem:
    value: str
    label_html: str
    selected: str | None = None
    right: str = ""
    correct: bool | None = None  # the student's pick for this item, once correctness may be shown


@dataclass
class QuestionForm:
    kind: str  # choice, multi, text, number, essay, matching
    options: list[Option] = field(default_factory=list)
    stems: list[Stem] = field(default_factory=list)
    text: str = ""


@dataclass
class Review:
    state: str = ""
    state_label: str = ""
    marks: float | None = None
    feedback_html: str = ""
    grader_comment: str = ""
    right_answer: str = ""
    general_feedback_html: str = ""
    section_url: str = ""
    section_name: str = ""
    # attention questions, once the right answer may show: (token, weight, bar width %, is the answer)
    token_weights: list = field(default_factory=list)


@dataclass
class AttemptItem:
    number: int
    question_id: int
    prefix: str
    text_html: str
    max_mark: float
    form: QuestionForm
    answered: bool
    saved_at: object
    save_url: str
    review: Review = field(default_factory=Review)
    public: dict = field(default_factory=dict)  # the public view, as the API sends it


def public_question(*, attempt: Attempt, version: QuestionVersion) -> dict:
    seed = f"{attempt.shuffle_seed}:{version.question_id}" if attempt.quiz.shuffle_choices else None
    return domain.public_view(version.spec, shuffle_seed=seed)


def attempt_items(*, attempt: Attempt, reveal: set[str]) -> list[AttemptItem]:
    """The attempt's questions in its frozen order, with saved answers; review details only as revealed."""
    answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt).select_related("version")}
    versions = {v.id: v for v in versions_by_id(v for _, v in attempt.layout)}
    sections = _lesson_sections(attempt) if "general_feedback" in reveal else {}
    items = []
    for number, (question_id, version_id) in enumerate(attempt.layout, start=1):
        answer = answers.get(question_id)
        # After a regrade an answer points at a newer version; show what was graded.
        version = answer.version if answer is not None else versions[version_id]
        public = public_question(attempt=attempt, version=version)
        response = (answer.response if answer else None) or {}
        item = AttemptItem(
            number=number,
            question_id=question_id,
            prefix=_prefix(question_id),
            text_html=render_text(public["text"], public.get("text_format")),
            max_mark=float(public.get("default_mark", 1.0)),
            form=_form(public, response),
            answered=is_answered(version, response),
            saved_at=answer.saved_at if answer else None,
            save_url=reverse("quizzes:answer_save", kwargs={"attempt_id": attempt.pk, "question_id": question_id}),
            public=public,
        )
        if reveal and answer is not None:
            _add_review(item, version, answer, reveal, sections, attempt)
        items.append(item)
    return items


def _form(public: dict, response: dict) -> QuestionForm:
    qtype = public["qtype"]
    if qtype in ("single_choice", "multiple_response"):
        picked = set(response.get("choices") or []) if qtype == "multiple_response" else {response.get("choice")}
        options = [
            Option(value=c["id"], label=c["text"], label_html=render_text(c["text"], c.get("text_format")), checked=c["id"] in picked)
            for c in public["choices"]
        ]
        return QuestionForm(kind="multi" if qtype == "multiple_response" else "choice", options=options)
    if qtype == "true_false":
        value = response.get("value")
        return QuestionForm(kind="choice", options=[
            Option(value="true", label="True", label_html="True", checked=value is True),
            Option(value="false", label="False", label_html="False", checked=value is False),
        ])
    if qtype == "matching":
        pairs = response.get("pairs") or {}
        options = [Option(value=r["id"], label=r["text"], label_html=escape(r["text"])) for r in public["right"]]
        stems = [Stem(value=left["id"], label_html=render_text(left["text"], left.get("text_format")), selected=pairs.get(left["id"]))
                 for left in public["left"]]
        return QuestionForm(kind="matching", options=options, stems=stems)
    if qtype == "numeric":
        return QuestionForm(kind="number", text=str(response.get("value") or ""))
    if qtype == "attention_token":
        picked = str(response.get("token")) if response.get("token") is not None else None
        options = [Option(value=t["id"], label=t["text"], label_html=escape(t["text"]), checked=t["id"] == picked)
                   for t in public["tokens"]]
        return QuestionForm(kind="tokens", options=options)
    if qtype == "essay":
        return QuestionForm(kind="essay", text=str(response.get("text") or ""))
    return QuestionForm(kind="text", text=str(response.get("text") or ""))


def _add_review(item: AttemptItem, version: QuestionVersion, answer: Answer, reveal: set[str], sections: dict, attempt: Attempt) -> None:
    spec = version.spec
    review = item.review
    if "correctness" in reveal:
        review.state = answer.state or "unanswered"
        review.state_label = STATE_LABELS.get(review.state, review.state)
        if item.form.kind in ("choice", "multi"):
            weights = {c["id"]: c.get("fraction", 0.0) for c in spec.get("choices", [])}
            if spec.get("qtype") == "true_false":
                weights = {"true": 1.0 if spec.get("correct") else 0.0, "false": 0.0 if spec.get("correct") else 1.0}
            for option in item.form.options:
                if option.checked:
                    weight = weights.get(option.value, 0.0)
                    option.verdict = "correct" if weight >= 1 - 1e-6 or (item.form.kind == "multi" and weight > 0) \
                        else "partial" if weight > 0 else "incorrect"
        if item.form.kind == "tokens":
            for option in item.form.options:
                if option.checked:
                    option.verdict = "correct" if option.value == str(spec.get("answer_index")) else "incorrect"
        if item.form.kind == "matching":
            verdicts = {f.get("part"): f.get("correct") for f in answer.feedback or []}
            for stem in item.form.stems:
                stem.correct = verdicts.get(stem.value) if stem.selected else None
    if "marks" in reveal:
        review.marks = answer.marks
    if "feedback" in reveal:
        by_part = {}
        for feedback in answer.feedback or []:
            if feedback.get("text"):
                by_part.setdefault(feedback.get("part"), []).append(feedback["text"])
        for option in item.form.options:
            if option.value in by_part and item.form.kind in ("choice", "multi") and spec.get("qtype") != "true_false":
                option.feedback_html = render_text("\n\n".join(by_part.pop(option.value)), spec.get("text_format"))
        rest = [text for texts in by_part.values() for text in texts]
        if rest:
            review.feedback_html = render_text("\n\n".join(rest), spec.get("text_format"))
        review.grader_comment = answer.grader_comment
    if "right_answer" in reveal:
        _add_right_answer(item, spec)
    if "general_feedback" in reveal:
        general, explanation = spec.get("general_feedback") or "", spec.get("explanation") or ""
        if general or explanation:
            name, url = _section_for(f"{general} {explanation}", sections, attempt)
            if url:
                # The "(See: Lesson › Section)" note becomes the link below the explanation.
                general, explanation = _SEE_NOTE.sub("", general).strip(), _SEE_NOTE.sub("", explanation).strip()
            review.general_feedback_html = (render_text(general, spec.get("text_format")) if general else "") + (
                render_markdown_preview(explanation) if explanation else "")
            review.section_name, review.section_url = name, url


def _add_right_answer(item: AttemptItem, spec: dict) -> None:
    right = domain.correct_response(spec)
    if right is None:
        return
    qtype = spec.get("qtype")
    if qtype in ("single_choice", "multiple_response"):
        ids = set(right.get("choices") or [right.get("choice")])
        for option in item.form.options:
            option.right = option.value in ids
    elif qtype == "true_false":
        for option in item.form.options:
            option.right = option.value == ("true" if right["value"] else "false")
    elif qtype == "matching":
        labels = {option.value: option.label for option in item.form.options}
        for stem in item.form.stems:
            stem.right = labels.get(right["pairs"].get(stem.value), "")
    elif qtype == "attention_token":
        for option in item.form.options:
            option.right = option.value == str(right["token"])
        weights = spec.get("weights") or []
        top = max(weights, default=0) or 1
        item.review.token_weights = [(token, weight, round(100 * weight / top, 1), index == right["token"])
                                     for index, (token, weight) in enumerate(zip(spec.get("tokens") or [], weights))]
    else:
        item.review.right_answer = str(right.get("text") or right.get("value") or "")


# --- "(See: Lesson › Section)" in an explanation links to that section of the lesson ---------------

_SEE_NOTE = re.compile(r"\s*\(\s*See\\?:\s*[^›)]+?\s*›\s*(?:[^()]|\([^()]*\))+?\s*\)")
_SEE = re.compile(r"See\\?:\s*(?P<lesson>[^›)]+?)\s*›\s*(?P<section>(?:[^()]|\([^()]*\))+?)\s*\)")


def _normal(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\\:", ":").casefold().split())


def _lesson_sections(attempt: Attempt) -> dict[str, str]:
    lesson = attempt.quiz.lesson
    toc = lesson.body_toc  # rendered once, when the lesson was saved
    sections: dict[str, str] = {}

    def walk(tokens):
        for token in tokens:
            sections.setdefault(_normal(token["name"]), token["id"])
            walk(token.get("children", []))

    walk(toc)
    return sections


def _section_for(text: str, sections: dict[str, str], attempt: Attempt) -> tuple[str, str]:
    lesson_url = attempt.quiz.lesson.get_absolute_url()
    match = _SEE.search(text)
    if not match:
        return "", ""
    name = match["section"].replace("\\:", ":").strip()
    anchor = sections.get(_normal(name))
    return name, f"{lesson_url}#{anchor}" if anchor else lesson_url


def explanation_links(*, attempt: Attempt, specs: Iterable[dict]) -> list[tuple[str, str]]:
    """(section name, URL of the lesson section) that each spec's explanation points to, or ("", "")."""
    sections = _lesson_sections(attempt)
    return [
        _section_for(f"{spec.get('general_feedback') or ''} {spec.get('explanation') or ''}", sections, attempt)
        for spec in specs
    ]
