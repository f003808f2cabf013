"""What an instructor's previews show: a question as a student will see it, built from the domain's
public view only (never weights or feedback), in the item shape of the taking side's
`quizzes/partials/question_inputs.html`, so the preview and the real attempt render the same way.
"""
from .behaviours import QuestionBehaviour
from .behaviours.base import is_right
from .domain import ResponseError
from .domain.spec import SpecError, spec_from_json
from .models import Question, QuestionVersion, Quiz
from .page_data import STATE_LABELS
from .qtypes import PublicIds, grade, public_view, qtype_for
from .rendering import render_text
from .services import grading

AUTHORED_IDS = PublicIds(None)  # authors see the spec's own ids


def preview_item(spec: dict, *, number: int = 1, prefix: str = "preview", response: dict | None = None) -> dict:
    """A question item for question_inputs.html, from a spec that validates, filled with `response`."""
    view = public_view(spec)
    return {
        "number": number,
        "prefix": f"{prefix}-{number}",
        "qtype": view["qtype"],
        "max_mark": float(view.get("default_mark", 1.0)),
        "text_html": render_text(view["text"], view.get("text_format")),
        # The type's own builder, so the preview shows exactly the inputs of an attempt.
        "form": qtype_for(spec).question_form(spec_from_json(spec), view, response or {}, AUTHORED_IDS),
        "public": view,  # attention questions show their layer, head and query from it
    }


def right_answer_summary(spec: dict) -> str:
    """One line for the instructor under the preview: what earns full marks."""
    qtype = qtype_for(spec)
    return qtype.right_answer_summary(qtype.spec(spec))


def question_preview_context(editor) -> dict:
    """The live preview's context: the rendered question, or why it cannot be shown yet."""
    bound = editor.form.is_bound
    spec = editor.spec if bound else editor.original
    problems = _problems(editor) if bound else []
    if not spec:
        return {"preview_item": None, "preview_problems": problems, "right_answer": ""}
    try:
        spec_from_json(spec).validate()
    except SpecError as error:
        message = error.message[0].upper() + error.message[1:]
        message = message if message.endswith((".", "!", "?")) else message + "."
        # The editor usually reported it already, next to a field ("Question text: …"): say it once.
        # An attention question lacks its stored answer until the model gave one; the form said why.
        model_pending = qtype_for(spec).graded_by_model and "answer_index" not in spec and problems
        if not model_pending and not any(problem.endswith(message) for problem in problems):
            problems.insert(0, message)
        return {"preview_item": None, "preview_problems": problems, "right_answer": ""}
    right_answer = right_answer_summary(spec)
    return {
        "preview_item": preview_item(spec),
        "preview_problems": problems,
        "right_answer": right_answer,
        # Through the sanitising Markdown renderer, so $math$ in answers is typeset like the question.
        "right_answer_html": render_text(right_answer, "markdown"),
    }


def _problems(editor) -> list[str]:
    problems: list[str] = []
    for name, errors in (editor.form.errors or {}).items():
        label = editor.form.fields[name].label if name in editor.form.fields else ""
        problems.extend(f"{label}: {error}" if label else str(error) for error in errors)
    if editor.rows is not None and editor.rows.is_bound:
        problems.extend(str(error) for error in editor.rows.non_form_errors())
        for number, errors in enumerate(editor.rows.errors, start=1):
            for name, messages in errors.items():
                problems.extend(f"Row {number}: {message}" for message in messages)
    return problems


def quiz_preview_items(*, quiz: Quiz, drawn: list[int] = ()) -> list[dict]:
    """Every live question's latest version, in quiz order, as the student sees it before answering; then
    the questions of `drawn` (a sample draw of the random slots, from other quizzes), numbered on."""
    questions = list(Question.objects.filter(quiz=quiz, is_deleted=False).order_by("position", "id"))
    drawn_questions = Question.objects.in_bulk(list(drawn))
    questions += [drawn_questions[pk] for pk in drawn if pk in drawn_questions]
    latest: dict[int, QuestionVersion] = {}
    for version in QuestionVersion.objects.filter(question__in=questions).order_by("question_id", "number"):
        latest[version.question_id] = version
    items = []
    for number, question in enumerate(questions, start=1):
        version = latest.get(question.id)
        if version is None:
            continue
        try:
            item = preview_item(version.spec, number=number, prefix="q")
        except (SpecError, KeyError, StopIteration):
            item = {"number": number, "broken": True}
        # "spec" stays on the server: the template shows only the public fields and, once the
        # instructor checks their answers, the result built from it.
        item.update(question_id=question.id, quiz_id=question.quiz_id, title=version.spec.get("title", ""), spec=version.spec)
        items.append(item)
    return items


def _preview_response(item: dict, data) -> dict:
    """The posted fields of one preview question in the shape `grade` takes (as the taking side posts them)."""
    return grading.response_from_fields(spec=item["spec"], prefix=item["prefix"], data=data)


def _first_try_note(*, behaviour: QuestionBehaviour, spec: dict, fraction: float | None) -> dict:
    """Under a behaviour with several tries, what a learner meets after this answer as their first
    check when it is not right: the first hint, the tries left and what a right answer then earns."""
    parsed = spec_from_json(spec)
    allowed = behaviour.tries_allowed(parsed)
    if allowed <= 1 or is_right(fraction):
        return {}
    hint = behaviour.hint_after(parsed, 1)
    return {"tries_left": allowed - 1, "tries_allowed": allowed, "hint_html": render_text(hint, "markdown") if hint else "",
            "right_next_percent": f"{100 * (1 - behaviour.penalty_for(parsed, 1)):.0f}"}


def quiz_preview_check(*, items: list[dict], data, behaviour: QuestionBehaviour | None = None) -> tuple[float, float]:
    """Grade what the instructor tried in the preview (nothing is saved), add each item's result, and
    return (marks earned, marks possible) over the questions graded automatically. Under a behaviour
    with tries (interactive), a result that is not right also says what the learner's Check would show."""
    for item in items:
        if item.get("broken"):
            continue
        response = _preview_response(item, data)
        try:
            result = grade(item["spec"], response)
        except ResponseError as error:
            item["result"] = {"state": "incorrect", "label": f"Not an answer: {error}", "marks": 0.0, "feedback_html": "",
                              "right_answer_html": render_text(right_answer_summary(item["spec"]), "markdown")}
            continue
        item["form"] = preview_item(item["spec"], number=item["number"], prefix="q", response=response)["form"]
        feedback = "\n\n".join(part.text for part in result.feedback if part.text)
        item["result"] = {
            "state": result.state,
            "label": STATE_LABELS.get(result.state, result.state),
            "marks": None if result.fraction is None else result.fraction * item["max_mark"],
            "feedback_html": render_text(feedback, item["spec"].get("text_format")) if feedback else "",
            "right_answer_html": render_text(right_answer_summary(item["spec"]), "markdown"),
            "first_try": _first_try_note(behaviour=behaviour, spec=item["spec"], fraction=result.fraction) if behaviour else {},
        }
    graded = [item for item in items if item.get("result") and item["result"].get("marks") is not None]
    return sum(item["result"]["marks"] for item in graded), sum(item["max_mark"] for item in graded)


def import_preview_rows(specs: list[dict]) -> list[dict]:
    """What an import would add, one row per question: name, type, marks, its text and what earns full marks,
    rendered as the attempt page renders them (Markdown with $math$ for KaTeX, sanitised HTML, plain text)."""
    rows = []
    for spec in specs:
        right_answer = right_answer_summary(spec)
        rows.append({
            "title": spec.get("title") or "",
            "qtype": qtype_for(spec).label,
            "marks": float(spec.get("default_mark", 1.0)),
            "text_html": render_text(str(spec.get("text", "")), spec.get("text_format")),
            "right_answer": right_answer,
            # As the question preview does: through the Markdown renderer, so $math$ in answers is typeset.
            "right_answer_html": render_text(right_answer, "markdown"),
            "category": spec.get("category") or "",
        })
    return rows
