"""What an instructor's previews show: a question as a student will see it, built from the domain's
public view only (never weights or feedback), in the item shape of the taking side's
`quizzes/partials/question_inputs.html`, so the preview and the real attempt render the same way.
"""
from .domain import ResponseError, correct_response, grade, public_view
from .domain.spec import SpecError, format_number, spec_from_json
from .forms.questions import QTYPES
from .models import Question, QuestionVersion, Quiz
from .services import grading


def preview_item(spec: dict, *, number: int = 1, prefix: str = "preview", response: dict | None = None) -> dict:
    """A question item for question_inputs.html, from a spec that validates, filled with `response`."""
    view = public_view(spec)
    return {
        "number": number,
        "prefix": f"{prefix}-{number}",
        "qtype": view["qtype"],
        "max_mark": float(view.get("default_mark", 1.0)),
        "text_html": grading.render_text(view["text"], view.get("text_format")),
        # The taking side's own builder, so the preview shows exactly the inputs of an attempt.
        "form": grading._form(view, response or {}),
        "public": view,  # attention questions show their layer, head and query from it
    }


def right_answer_summary(spec: dict) -> str:
    """One line for the instructor under the preview: what earns full marks."""
    response = correct_response(spec)
    qtype = spec.get("qtype")
    if response is None:
        return "Graded by you after the student submits."
    if qtype == "single_choice":  # Moodle allows several full-credit choices: any of them
        return " or ".join(c["text"] for c in spec["choices"] if c.get("fraction") == 1)
    if qtype == "multiple_response":
        return "; ".join(c["text"] for c in spec["choices"] if c["id"] in response["choices"])
    if qtype == "true_false":
        return "True" if response["value"] else "False"
    if qtype == "matching":
        return "; ".join(f"{p['left']} → {p['right']}" for p in spec["pairs"])
    if qtype == "attention_token":
        return (f"{spec['answer_token']} (token {spec['answer_index']}), which gets a weight of "
                f"{spec['answer_weight']:.2f} from {spec['tokens'][spec['query_index']]}, as the model computed it")
    if qtype == "numeric":
        return " or ".join(_numeric_text(a) for a in spec["answers"] if a.get("fraction") == 1 and a.get("kind") != "any")
    return str(response.get("text") or response.get("value") or "")


def _numeric_text(answer: dict) -> str:
    if answer["kind"] == "range":
        return f"{format_number(answer['min'])} to {format_number(answer['max'])}"
    tolerance = answer.get("tolerance") or 0
    value = format_number(answer["value"])
    return f"{value} ± {format_number(tolerance)}" if tolerance else value


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
        model_pending = spec.get("qtype") == "attention_token" and "answer_index" not in spec and problems
        if not model_pending and not any(problem.endswith(message) for problem in problems):
            problems.insert(0, message)
        return {"preview_item": None, "preview_problems": problems, "right_answer": ""}
    right_answer = right_answer_summary(spec)
    return {
        "preview_item": preview_item(spec),
        "preview_problems": problems,
        "right_answer": right_answer,
        # Through the sanitising Markdown renderer, so $math$ in answers is typeset like the question.
        "right_answer_html": grading.render_text(right_answer, "markdown"),
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


def quiz_preview_items(*, quiz: Quiz) -> list[dict]:
    """Every live question's latest version, in quiz order, as the student sees it before answering."""
    questions = list(Question.objects.filter(quiz=quiz, is_deleted=False).order_by("position", "id"))
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
        item.update(question_id=question.id, title=version.spec.get("title", ""), spec=version.spec)
        items.append(item)
    return items


def _preview_response(item: dict, data) -> dict:
    """The posted fields of one preview question in the shape `grade` takes (as the taking side posts them)."""
    return grading.response_from_fields(spec=item["spec"], prefix=item["prefix"], data=data)


def quiz_preview_check(*, items: list[dict], data) -> tuple[float, float]:
    """Grade what the instructor tried in the preview (nothing is saved), add each item's result, and
    return (marks earned, marks possible) over the questions graded automatically."""
    for item in items:
        if item.get("broken"):
            continue
        response = _preview_response(item, data)
        try:
            result = grade(item["spec"], response)
        except ResponseError as error:
            item["result"] = {"state": "incorrect", "label": f"Not an answer: {error}", "marks": 0.0, "feedback_html": "",
                              "right_answer_html": grading.render_text(right_answer_summary(item["spec"]), "markdown")}
            continue
        item["form"] = preview_item(item["spec"], number=item["number"], prefix="q", response=response)["form"]
        feedback = "\n\n".join(part.text for part in result.feedback if part.text)
        item["result"] = {
            "state": result.state,
            "label": grading.STATE_LABELS.get(result.state, result.state),
            "marks": None if result.fraction is None else result.fraction * item["max_mark"],
            "feedback_html": grading.render_text(feedback, item["spec"].get("text_format")) if feedback else "",
            "right_answer_html": grading.render_text(right_answer_summary(item["spec"]), "markdown"),
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
            "qtype": QTYPES[spec["qtype"]].label if spec.get("qtype") in QTYPES else spec.get("qtype", ""),
            "marks": float(spec.get("default_mark", 1.0)),
            "text_html": grading.render_text(str(spec.get("text", "")), spec.get("text_format")),
            "right_answer": right_answer,
            # As the question preview does: through the Markdown renderer, so $math$ in answers is typeset.
            "right_answer_html": grading.render_text(right_answer, "markdown"),
            "category": spec.get("category") or "",
        })
    return rows
