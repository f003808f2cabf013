"""Attention (graded by the model): pick the token a head's query attends to most.

The answer was computed by the lab's worker when the version was saved (quizzes.services.model_graded),
so grading never needs the model. Token ids are positions: the sentence's order is the question.
"""
from __future__ import annotations

import json
import random
import re

from django.utils.html import escape

from config.json_body import json_loads

from ..domain import markdown_text
from ..domain.grading import Feedback, GradeResult, ResponseError, UNANSWERED_RESULT, fraction_result
from ..domain.markdown_reading import QuizFormatError
from ..domain.spec import AttentionTokenSpec
from .base import QuestionType, response_field
from .ids import PublicIds
from .page_parts import Option, QuestionForm, Review


_INDEX = re.compile(r"^(?P<index>\d+)(?:\s*\((?P<token>.*)\))?$")


def _position(settings: dict, key: str) -> int:
    line, value = settings[key]
    match = _INDEX.match(value)
    if not match:
        raise QuizFormatError(line, f"'{key}:' takes a whole number; got {value!r}")
    return int(match["index"])


def _json_list(settings: dict, key: str) -> list:
    line, value = settings[key]
    try:
        parsed = json_loads(value)  # the platform's one JSON reader: size and depth limits
    except ValueError:
        parsed = None
    if not isinstance(parsed, list):
        raise QuizFormatError(line, f"'{key}:' takes a JSON list like [\"[CLS]\", \"the\"]; got {value[:40]!r}")
    return parsed


# The stored spec, passed to the editor form in `initial`, so unchanged inputs reuse its answer.
PREVIOUS_KEY = "attention_previous"


class AttentionToken(QuestionType):
    name = "attention_token"
    spec_class = AttentionTokenSpec
    label = "Attention (graded by the model)"
    description = "Students pick the token a head attends to most; the model computes the answer."
    in_gift = False
    graded_by_model = True
    editor_form = "AttentionTokenForm"

    def editor_initial(self, spec: dict) -> tuple[dict, list[dict]]:
        return {
            "sentence": spec.get("sentence", ""), "layer": spec.get("layer", 1), "head": spec.get("head", 1),
            "query_index": spec.get("query_index", 1),
            "lab_link_during_attempt": spec.get("lab_link_during_attempt", False), PREVIOUS_KEY: spec,
        }, []

    def editor_spec(self, value, rows: list[dict], original: dict, form) -> dict:
        """The model's answer, which the form asked the worker for while cleaning ({} when that failed)."""
        cleaned = getattr(form, "cleaned_data", None) or {}
        if "model_answer" not in cleaned:
            return {}
        return {"sentence": cleaned["sentence"], "layer": cleaned["layer"], "head": cleaned["head"],
                "query_index": cleaned["query_index"],
                "lab_link_during_attempt": bool(cleaned.get("lab_link_during_attempt")), **cleaned["model_answer"]}

    markdown_reads = "settings"

    def markdown_build(self, question, common: dict, items: list, settings: dict) -> AttentionTokenSpec:
        """The model's answer is stored in the file (see `markdown_answer_lines`), checked here."""
        if items:
            raise QuizFormatError(items[0].line, "an attention question takes no choices or 'answer:' lines "
                                  "after its settings: the model's answer is the 'answer:' setting")
        missing = [key for key in markdown_text.ATTENTION_KEYS if key not in settings]
        if missing:
            raise QuizFormatError(question.line, f"the attention question '{question.title}' needs "
                                  f"{', '.join(repr(key + ':') for key in missing)} lines (the model's stored answer)")
        tokens, weights = _json_list(settings, "tokens"), _json_list(settings, "weights")
        query, answer = _position(settings, "query"), _position(settings, "answer")
        for key, position in (("query", query), ("answer", answer)):
            line, value = settings[key]
            named = _INDEX.match(value)["token"]
            if position >= len(tokens):
                raise QuizFormatError(line, f"'{key}:' {position} is past the last of the {len(tokens)} tokens")
            if named is not None and named != tokens[position]:
                raise QuizFormatError(line, f"token {position} is {tokens[position]!r}, not {named!r}")
        lab_line, lab_link = settings.get("lab link", (question.line, "no"))
        if lab_link.lower() not in ("yes", "no"):
            raise QuizFormatError(lab_line, f"'lab link:' takes yes or no; got {lab_link!r}")
        return AttentionTokenSpec(**common, sentence=settings["sentence"][1], layer=_position(settings, "layer"),
                                  head=_position(settings, "head"), query_index=query, model=settings["model"][1],
                                  tokens=tokens, weights=weights, answer_index=answer, answer_token=tokens[answer],
                                  answer_weight=weights[answer] if answer < len(weights) else 0.0,
                                  lab_link_during_attempt=lab_link.lower() == "yes")

    def public_parts(self, spec: AttentionTokenSpec, *, ids: PublicIds, rng: random.Random | None) -> dict:
        # The tokens in sentence order; no weights, no answer. The lab link only where the author allows it.
        return dict(sentence=spec.sentence, layer=spec.layer, head=spec.head, query_index=spec.query_index,
                    query_token=spec.tokens[spec.query_index], model=spec.model,
                    lab_link=spec.lab_link_during_attempt,
                    tokens=[{"id": str(i), "text": token} for i, token in enumerate(spec.tokens)])

    def response_from_fields(self, spec, *, prefix, data, ids: PublicIds) -> dict:
        token = (data.get(f"{prefix}-token") or "").strip()
        return {"token": int(token) if token.isdigit() else token or None}

    def grade(self, spec: AttentionTokenSpec, response) -> GradeResult:
        picked = response_field(response, "token")
        if picked is None or picked == "":
            return UNANSWERED_RESULT
        if isinstance(picked, str) and picked.strip().isdigit():
            picked = int(picked)  # HTML forms send strings
        if not isinstance(picked, int) or isinstance(picked, bool):
            raise ResponseError("'token' must be the position of a token")
        if not 0 <= picked < len(spec.tokens):
            return fraction_result(0.0, [Feedback("answer", "This is not one of the sentence's tokens.", False)])
        if picked == spec.answer_index:
            return fraction_result(1.0, [])
        # Says what the model did with the learner's pick, not which token was right.
        text = (f"In layer {spec.layer}, head {spec.head}, “{spec.tokens[spec.query_index]}” gives "
                f"“{spec.tokens[picked]}” a weight of {spec.weights[picked]:.2f}.")
        return fraction_result(0.0, [Feedback("answer", text, False)])

    def correct_response(self, spec: AttentionTokenSpec) -> dict:
        return {"token": spec.answer_index}

    def question_form(self, spec, public: dict, response: dict, ids: PublicIds) -> QuestionForm:
        picked = str(response.get("token")) if response.get("token") is not None else None
        options = [Option(value=t["id"], label=t["text"], label_html=escape(t["text"]), checked=t["id"] == picked,
                          authored=t["id"]) for t in public["tokens"]]
        return QuestionForm(kind="tokens", options=options)

    def mark_correctness(self, form: QuestionForm, spec: AttentionTokenSpec, feedback: list[dict]) -> None:
        for option in form.options:
            if option.checked:
                option.verdict = "correct" if option.value == str(spec.answer_index) else "incorrect"

    def mark_right_answer(self, form: QuestionForm, review: Review, spec: AttentionTokenSpec) -> None:
        for option in form.options:
            option.right = option.value == str(spec.answer_index)
        top = max(spec.weights, default=0) or 1
        review.token_weights = [(token, weight, round(100 * weight / top, 1), index == spec.answer_index)
                                for index, (token, weight) in enumerate(zip(spec.tokens, spec.weights))]

    def right_answer_summary(self, spec: AttentionTokenSpec) -> str:
        return (f"{spec.answer_token} (token {spec.answer_index}), which gets a weight of "
                f"{spec.answer_weight:.2f} from {spec.tokens[spec.query_index]}, as the model computed it")

    def choice_options(self, spec: AttentionTokenSpec) -> list[tuple[str, str, float]]:
        # each token of the sentence is a choice
        return [(str(i), token, 1.0 if i == spec.answer_index else 0.0) for i, token in enumerate(spec.tokens)]

    def picked(self, response: dict) -> list[str]:
        return [str(response["token"])] if response.get("token") not in (None, "") else []

    def markdown_answer_lines(self, spec: AttentionTokenSpec, where: str) -> list[str]:
        """The sentence, head and stored answer: a file holds what the worker computed, so loading it
        needs no model. The token after each index is for readers; the parser checks it."""
        sentence = markdown_text.one_line(spec.sentence, f"the sentence of {where}")
        return [
            f"sentence: {sentence}",
            f"layer: {spec.layer}",
            f"head: {spec.head}",
            f"query: {spec.query_index} ({spec.tokens[spec.query_index]})",
            f"answer: {spec.answer_index} ({spec.answer_token})",
            f"model: {markdown_text.one_line(spec.model, 'a model name')}",
            f"tokens: {json.dumps(spec.tokens, ensure_ascii=False)}",
            f"weights: {json.dumps(spec.weights)}",
            *(["lab link: yes"] if spec.lab_link_during_attempt else []),
        ]

    def markdown_check_text(self, text_lines: list[str], where: str) -> None:
        if any(markdown_text.ATTENTION_LINE.match(line) for line in text_lines):
            raise ValueError(f"the text of {where} has a line that would be read as the sentence or its settings")

    def gift_answer_block(self, spec: AttentionTokenSpec) -> str:
        # Written as a plain single choice it would lose the sentence, head and stored row,
        # and come back as a different question; refusing keeps export lossless.
        raise ValueError(f"GIFT cannot express the attention question {spec.title!r} (a token picked "
                         "in a sentence, graded from the model); export the quiz as Markdown instead")

    def response_text(self, spec: AttentionTokenSpec, response: dict | None) -> str:
        picked = (response or {}).get("token")
        if isinstance(picked, int) and 0 <= picked < len(spec.tokens):
            return f"{spec.tokens[picked]} (token {picked})"
        return "" if picked is None else str(picked)
