"""What the attempt, submit-check and review pages show of each question, built from the public view
only; review details are added item by item, only for what the quiz's review options reveal."""
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse

from courses.markdown import render_markdown_preview

from .models import Answer, Attempt, QuestionVersion
from .qtypes import qtype_for
from .qtypes.page_parts import QuestionForm, Review
from .question_progress import QuestionProgress, question_progress
from .rendering import render_text
from .services.grading import attempt_ids, is_answered, public_question, question_prefix, versions_by_id

STATE_LABELS = {
    "correct": "Correct",
    "partial": "Partly correct",
    "incorrect": "Incorrect",
    "unanswered": "Not answered",
    "needs_grading": "Awaiting grading",
}


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
    progress: QuestionProgress | None = None  # under the quiz's behaviour: Check, tries, hint
    unsure: bool = False  # the learner's "not sure" mark
    reviewable: bool = True  # graded automatically, so it can enter the review queue (essays cannot)


def attempt_items(*, attempt: Attempt, reveal: set[str], only_question: int | None = None) -> list[AttemptItem]:
    """The attempt's questions in its frozen order, with saved answers; review details only as revealed.
    `only_question`: just that one (a Check re-renders one question), numbered as on the page."""
    answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt).select_related("version")}
    versions = {v.id: v for v in versions_by_id(v for _, v in attempt.layout)}
    sections = _lesson_sections(attempt) if "general_feedback" in reveal else {}
    items = []
    for number, (question_id, version_id) in enumerate(attempt.layout, start=1):
        if only_question is not None and question_id != only_question:
            continue
        answer = answers.get(question_id)
        # After a regrade an answer points at a newer version; show what was graded.
        version = answer.version if answer is not None else versions[version_id]
        qtype = qtype_for(version.spec)
        spec = qtype.spec(version.spec)
        public = public_question(attempt=attempt, version=version)
        response = (answer.response if answer else None) or {}
        item = AttemptItem(
            number=number,
            question_id=question_id,
            prefix=question_prefix(question_id),
            text_html=render_text(public["text"], public.get("text_format")),
            max_mark=float(public.get("default_mark", 1.0)),
            form=qtype.question_form(spec, public, response, attempt_ids(attempt=attempt, question_id=question_id)),
            answered=is_answered(version, response),
            saved_at=answer.saved_at if answer else None,
            save_url=reverse("quizzes:answer_save", kwargs={"attempt_id": attempt.pk, "question_id": question_id}),
            public=public,
            unsure=bool(answer and answer.unsure),
            reviewable=not qtype.graded_by_person,
        )
        item.progress = question_progress(attempt=attempt, answer=answer, version=version)
        if reveal and answer is not None:
            _add_review(item, version, answer, reveal, sections, attempt)
        elif item.progress.reveal:  # finished by a check, before submission: the "immediately" column
            _add_review(item, version, answer, item.progress.reveal, {}, attempt)
        items.append(item)
    return items


def _add_review(item: AttemptItem, version: QuestionVersion, answer: Answer, reveal: set[str], sections: dict,
                attempt: Attempt) -> None:
    qtype = qtype_for(version.spec)
    spec = qtype.spec(version.spec)
    review = item.review
    if "correctness" in reveal:
        review.state = answer.state or "unanswered"
        review.state_label = STATE_LABELS.get(review.state, review.state)
        qtype.mark_correctness(item.form, spec, answer.feedback or [])
    if "marks" in reveal:
        review.marks = answer.marks
    if "feedback" in reveal:
        by_part: dict = {}
        for feedback in answer.feedback or []:
            if feedback.get("text"):
                by_part.setdefault(feedback.get("part"), []).append(feedback["text"])
        if qtype.feedback_on_options:
            for option in item.form.options:
                if option.authored in by_part:
                    option.feedback_html = render_text("\n\n".join(by_part.pop(option.authored)), spec.text_format)
        rest = [text for texts in by_part.values() for text in texts]
        if rest:
            review.feedback_html = render_text("\n\n".join(rest), spec.text_format)
        review.grader_comment = answer.grader_comment
    if "right_answer" in reveal:
        qtype.mark_right_answer(item.form, review, spec)
    if "general_feedback" in reveal:
        general, explanation = spec.general_feedback or "", spec.explanation or ""
        if general or explanation:
            name, url = _section_for(f"{general} {explanation}", sections, attempt)
            if url:
                # The "(See: Lesson › Section)" note becomes the link below the explanation.
                general, explanation = _SEE_NOTE.sub("", general).strip(), _SEE_NOTE.sub("", explanation).strip()
            review.general_feedback_html = (render_text(general, spec.text_format) if general else "") + (
                render_markdown_preview(explanation) if explanation else "")
            review.section_name, review.section_url = name, url


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
