"""Numeric: a typed number against value ± tolerance or min..max answers (`numeric_answer_matches`)."""
from __future__ import annotations

from ..domain import gift_writing, markdown_text, numeric_units
from ..domain import moodle_xml_parts as moodle_xml
from ..domain.moodle_xml_parts import text_of
from ..domain.grading import (
    Feedback,
    GradeResult,
    ResponseError,
    UNANSWERED_RESULT,
    fraction_result,
    numeric_answer_matches,
    parse_numeric_answer,
)
from ..domain.answer_matching import unit_is_percent
from ..domain.markdown_reading import QuizFormatError, numeric_answer, typed_answers
from ..domain.spec import UNIT_DISPLAYS, UNIT_GRADINGS, NumericAnswer, NumericSpec, format_number, format_percent, parse_number
from .base import QuestionType, response_field
from .editing import EditorRows, fraction_or, percent
from .ids import PublicIds
from .page_parts import QuestionForm


class Numeric(QuestionType):
    name = "numeric"
    spec_class = NumericSpec
    label = "Numeric"
    description = "Type a number; value ± tolerance or a range."
    accepts_typed_answers = True
    markdown_name = "numeric"

    editor_form = "NumericForm"
    editor_rows = EditorRows("NumericRowForm", "answers", "Graded answers", "The best matching answer counts. At least "
                             "one must be worth 100 %. “Any other number” catches everything else, for feedback.",
                             "Add an answer", 2)

    def editor_initial(self, spec: dict) -> tuple[dict, list[dict]]:
        rows = []
        for answer in spec.get("answers", []):
            row = {"kind": answer["kind"], "fraction": percent(answer.get("fraction", 1)),
                   "feedback": answer.get("feedback", "")}
            if answer["kind"] == "tolerance":
                row.update(value=format_number(answer["value"]), tolerance=format_number(answer.get("tolerance", 0)))
            elif answer["kind"] == "range":
                row.update(min=format_number(answer["min"]), max=format_number(answer["max"]))
            rows.append(row)
        units = "\n".join(u["unit"] if i == 0 else f"{u['unit']} = {format_number(u['multiplier'])}"
                          for i, u in enumerate(spec.get("units", [])))
        return {"units": units, "unit_grading": spec.get("unit_grading", "optional"),
                "unit_penalty": percent(spec.get("unit_penalty", 0.1)), "units_left": spec.get("units_left", False)}, rows

    def editor_spec(self, value, rows: list[dict], original: dict, form) -> dict:
        answers = []
        for row in rows:
            kind = row.get("kind") or "tolerance"
            answer = {"kind": kind, "fraction": fraction_or(row.get("fraction"), 100), "feedback": row.get("feedback") or ""}
            if kind == "tolerance":
                answer.update(value=row.get("value_number"), tolerance=row.get("tolerance_number", 0.0))
            elif kind == "range":
                answer.update(min=row.get("min_number"), max=row.get("max_number"))
            answers.append(answer)
        return {"answers": answers, "units": value("units", []), "unit_grading": value("unit_grading", "optional"),
                "unit_penalty": numeric_units.unit_penalty_when(value("unit_grading", "optional"),
                                                                fraction_or(value("unit_penalty", None), 10)),
                "units_left": bool(value("units_left", False))}

    markdown_reads = "answer"
    markdown_guess_order = 0

    def markdown_guess(self, items: list) -> bool:
        values = [item.text for item in items]
        return items[0].kind == "answer" and all(numeric_answer(v) is not None for v in values) and \
            any(v != "*" for v in values)

    def markdown_build(self, question, common: dict, items: list, settings: dict) -> NumericSpec:
        answers = []
        for item, weight in typed_answers(items):
            answer = numeric_answer(item.text)
            if answer is None:
                raise QuizFormatError(item.line, f"a numeric answer needs a number; got {item.text!r} "
                                      "(write 3, 3 ± 0.5, 1..2 or *)")
            answer.fraction, answer.feedback = weight, item.feedback
            answers.append(answer)
        return NumericSpec(**common, answers=answers)

    def response_from_fields(self, spec, *, prefix, data, ids: PublicIds) -> dict:
        return {"value": data.get(f"{prefix}-text", "")}

    def question_form(self, spec, public: dict, response: dict, ids: PublicIds) -> QuestionForm:
        # With units the learner types letters too, so a phone must offer its full keyboard, not digits only.
        return QuestionForm(kind="text" if spec.units else "number", text=str(response.get("value") or ""))

    def grade(self, spec: NumericSpec, response) -> GradeResult:
        raw = response_field(response, "value")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return UNANSWERED_RESULT
        percent = unit_is_percent(spec.text)
        try:  # raises ResponseError for a value of the wrong shape
            if spec.units and isinstance(raw, str):
                readings = numeric_units.readings_to_try(numeric_units.read_with_units(raw, spec, percent=percent))
            else:  # no units, or a number from an API client, which has no unit
                readings = [numeric_units.UnitReading(parse_numeric_answer(raw, percent=percent), "", False)]
        except ResponseError:
            raise
        except ValueError:
            return fraction_result(0.0, [Feedback("answer", f"{str(raw).strip()!r} is not a number.", False)])
        # Each answer is tried with the converted value, then with the number as typed (its unit counted wrong).
        marked = []
        for answer in spec.answers:
            reading = next((r for r in readings if numeric_answer_matches(answer, r.value)), None)
            if reading is not None:
                fraction = numeric_units.unit_penalised(answer.fraction, reading, spec) if spec.units else answer.fraction
                marked.append((fraction, answer, reading))
        if not marked:
            return fraction_result(0.0, [])
        fraction, best, reading = max(marked, key=lambda m: m[0])  # max() keeps the first of equals
        feedback = [Feedback("answer", best.feedback, best.fraction >= 1)] if best.feedback else []
        if fraction < best.fraction:
            feedback.append(Feedback("unit", _unit_feedback(reading, spec), False))
        return fraction_result(fraction, feedback)

    def correct_response(self, spec: NumericSpec) -> dict:
        """The value (or the middle of the range) of the first 100 % answer, as text."""
        best = next(a for a in spec.answers if a.fraction >= 1 and a.kind != "any")
        value = best.value if best.kind == "tolerance" else (best.min + best.max) / 2
        return {"value": numeric_units.with_first_unit(value, spec)}

    def right_answer_summary(self, spec: NumericSpec) -> str:
        unit = f" {spec.units[0]['unit']}" if spec.units else ""
        return " or ".join(_answer_text(a) + unit for a in spec.answers if a.fraction == 1 and a.kind != "any")

    def typed_text(self, response: dict) -> str | None:
        return str(response.get("value") or "")

    def typed_response(self, text: str) -> dict:
        return {"value": text}

    def accepted_answer(self, spec: NumericSpec, typed: str) -> dict:
        value = _typed_value(spec, typed)  # ValueError: not a number
        return {"kind": "tolerance", "value": value, "tolerance": 0.0, "fraction": 1.0, "feedback": ""}

    def response_group_key(self, spec: NumericSpec, text: str) -> str:
        try:  # "1.5 km" and "1500 m" mean the same
            return repr(_typed_value(spec, text))
        except ValueError:
            return text.strip()

    def markdown_answer_lines(self, spec: NumericSpec, where: str) -> list[str]:
        lines = []
        for answer in spec.answers:
            weight = "" if answer.fraction == 1 else f" ({format_percent(answer.fraction)}%)"
            lines.append(markdown_text.with_feedback(f"answer{weight}: {_markdown_value(answer)}", answer.feedback, where))
        return lines

    def gift_answer_block(self, spec: NumericSpec) -> str:
        if spec.units:
            raise ValueError("GIFT cannot carry units; export it as Moodle XML")
        lines, last = [], len(spec.answers) - 1
        for index, answer in enumerate(spec.answers):
            if answer.kind == "any" and answer.fraction == 0 and index == last:
                lines.append("~" + gift_writing.feedback(answer.feedback))  # Moodle's "any other number" form
                continue
            weight = gift_writing.weight(answer.fraction) if answer.fraction != 1 else ""
            if answer.kind == "tolerance":
                value = f"{format_number(answer.value)}:{format_number(answer.tolerance)}"
            elif answer.kind == "range":
                value = f"{format_number(answer.min)}..{format_number(answer.max)}"
            else:
                value = "*"
            lines.append(f"={weight}{value}{gift_writing.feedback(answer.feedback)}")
        return gift_writing.answer_block(spec, lines, opening="{#")

    moodle_name = "numerical"

    def moodle_read(self, question, common: dict) -> NumericSpec:
        answers = []
        for node in question.answers():
            text, fraction, feedback = text_of(node), question.fraction(node, negative=False), question.feedback(node)
            if text == "*":
                answers.append(NumericAnswer(kind="any", fraction=fraction, feedback=feedback))
                continue
            try:
                value = parse_number(text)
            except ValueError:
                raise question.fail(node, f"a numerical answer is a number or *; got {text!r}") from None
            exact = node.first("attentive_range")  # ours alone: Moodle reads the same range from value ± tolerance
            if exact is not None:
                answers.append(NumericAnswer(kind="range", min=question.number("min", 0.0, parent=exact),
                                             max=question.number("max", 0.0, parent=exact), fraction=fraction, feedback=feedback))
                continue
            tolerance = abs(question.number("tolerance", 0.0, parent=node))
            answers.append(NumericAnswer(kind="tolerance", value=value, tolerance=tolerance, fraction=fraction,
                                         feedback=feedback))
        units = []
        for block in question.node.all("units"):
            for unit in block.all("unit"):
                units.append({"unit": question.value_in(unit, "unit_name"),
                              "multiplier": question.number("multiplier", 1.0, parent=unit)})
        settings = {}
        if units:
            grading = question.choice("unitgradingtype", UNIT_GRADINGS)
            settings = {"units": units, "unit_grading": grading, "show_units": question.choice("showunits", UNIT_DISPLAYS),
                        "unit_penalty": numeric_units.unit_penalty_when(grading, question.number("unitpenalty", 0.1)),
                        "units_left": question.flag("unitsleft", False)}
        return NumericSpec(**common, answers=answers, **settings)

    def moodle_elements(self, spec: NumericSpec) -> list[str]:
        lines = []
        for answer in spec.answers:
            text, tolerance = ("*", 0.0) if answer.kind == "any" else (format_number(answer.value), answer.tolerance) \
                if answer.kind == "tolerance" else (format_number((answer.min + answer.max) / 2), (answer.max - answer.min) / 2)
            extra = [moodle_xml.value_element("tolerance", tolerance, depth=3)]
            if answer.kind == "range":
                extra += [f"{moodle_xml.INDENT * 3}<attentive_range>", moodle_xml.value_element("min", answer.min, depth=4),
                          moodle_xml.value_element("max", answer.max, depth=4), f"{moodle_xml.INDENT * 3}</attentive_range>"]
            lines += moodle_xml.answer_element(text, answer.fraction, answer.feedback, feedback_format=spec.text_format,
                                               extra=extra)
        if spec.units:
            lines += [f"{moodle_xml.INDENT * 2}<units>", *(line for unit in spec.units for line in (
                f"{moodle_xml.INDENT * 3}<unit>", moodle_xml.value_element("multiplier", unit["multiplier"], depth=4),
                moodle_xml.value_element("unit_name", unit["unit"], depth=4), f"{moodle_xml.INDENT * 3}</unit>")),
                f"{moodle_xml.INDENT * 2}</units>"]
        return lines + [moodle_xml.value_element("unitgradingtype", UNIT_GRADINGS.index(spec.unit_grading)),
                        moodle_xml.value_element("unitpenalty", spec.unit_penalty),
                        moodle_xml.value_element("showunits", UNIT_DISPLAYS.index(spec.show_units) if spec.units else 3),
                        moodle_xml.value_element("unitsleft", "1" if spec.units_left else "0")]


def _typed_value(spec: NumericSpec, typed: str) -> float:
    """What a typed response is worth in the answers' unit; ValueError when it holds no number."""
    if spec.units:
        return numeric_units.read_with_units(typed, spec, percent=unit_is_percent(spec.text)).value
    return parse_numeric_answer(typed, percent=unit_is_percent(spec.text))


def _unit_feedback(reading, spec: NumericSpec) -> str:
    names = ", ".join(u["unit"] for u in spec.units)
    if reading.unit in {"".join(u["unit"].split()) for u in spec.units}:
        return f"The number is right, but not in {reading.unit!r}, so the mark is lowered by the unit penalty."
    given = f"The unit {reading.unit!r} is not one of" if reading.unit else "The unit is missing: use one of"
    return f"{given} {names}, so the mark is lowered by the unit penalty."


def _markdown_value(answer: NumericAnswer) -> str:
    if answer.kind == "any":
        return "*"
    if answer.kind == "range":
        return f"{format_number(answer.min)}..{format_number(answer.max)}"
    if answer.tolerance:
        return f"{format_number(answer.value)} ± {format_number(answer.tolerance)}"
    return format_number(answer.value)


def _answer_text(answer: NumericAnswer) -> str:
    if answer.kind == "range":
        return f"{format_number(answer.min)} to {format_number(answer.max)}"
    value = format_number(answer.value)
    return f"{value} ± {format_number(answer.tolerance)}" if answer.tolerance else value
