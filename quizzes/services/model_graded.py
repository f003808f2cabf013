"""Questions graded from the model: the lab's worker computes the right answer when one is saved.

An attention question names a sentence, a layer, a head and a query token; the token that query
attends to most is its answer. The worker computes it once, when the question is created or its
sentence, layer, head or query changes, and the answer is stored in that question version, so
grading, review and old attempts never depend on the model (or on the worker being up).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from attention_lab import services as lab
from attention_lab.model import MODEL_NAME

from ..domain.spec import AttentionTokenSpec
from ..models import Question, QuestionVersion, Quiz
from .questions import question_create, question_update

MODEL_UNAVAILABLE_MESSAGE = (
    "The attention model is not answering right now; your question was not saved. Try again in a moment."
)
# Weights are stored rounded: enough to rank tokens and draw the review strip, short in files.
WEIGHT_DECIMALS = 6
# What decides the answer: when these are unchanged, an edit keeps the stored answer.
_MODEL_INPUTS = ("sentence", "layer", "head", "query_index", "model")


@dataclass(frozen=True)
class AttentionQuestionInput:
    """What the author chooses. `layer` and `head` count from 1; `query_index` is a token position ([CLS] = 0)."""

    title: str
    text: str
    sentence: str
    layer: int
    head: int
    query_index: int
    general_feedback: str = ""
    explanation: str = ""
    default_mark: float = 1.0


def attention_tokens_preview(*, sentence: str) -> list[str]:
    """The tokens the model will see, [CLS]/[SEP] included, without asking the worker (tokenizer only)."""
    from attention_lab.model.tokenization import default_tokenizer

    return default_tokenizer().encode(sentence).tokens


def attention_answer_compute(*, sentence: str, layer: int, head: int, query_index: int) -> dict:
    """The stored-answer fields of a spec, from the worker. Raises ValidationError (code
    "model_unavailable" when the worker or Redis does not answer, else keyed by the field at fault)."""
    try:
        found = lab.attention_most_attended_token(text=sentence, layer=layer - 1, head=head - 1,
                                                  query_index=query_index)
    except (lab.WorkerUnavailableError, lab.LabUnavailableError, lab.JobSupersededError):
        raise ValidationError(MODEL_UNAVAILABLE_MESSAGE, code="model_unavailable") from None
    except lab.TextTooLongError as error:
        raise ValidationError({"sentence": ValidationError(
            f"This sentence is {error.token_count} tokens long; the model reads at most {error.limit}.",
            code="too_long")}) from None
    except IndexError:
        tokens = attention_tokens_preview(sentence=sentence)
        raise ValidationError({"query_index": ValidationError(
            f"Choose a token from 0 to {len(tokens) - 1}: {tokens_listed(tokens)}.", code="bad_query")}) from None
    weights = [round(weight, WEIGHT_DECIMALS) for weight in found.weights]
    return {
        "model": MODEL_NAME,
        "tokens": list(found.tokens),
        "weights": weights,
        "answer_index": found.index,
        "answer_token": found.token,
        "answer_weight": weights[found.index],
    }


def attention_default_text(*, layer: int, head: int, query_token: str) -> str:
    return (f"In layer {layer}, head {head} of the model, which token does “{query_token}” attend to most? "
            "Pick it in the sentence below.")


def tokens_listed(tokens: list[str]) -> str:
    """ "0 [CLS] · 1 the · 2 cat" — how authors are shown which position is which token."""
    return " · ".join(f"{index} {token}" for index, token in enumerate(tokens))


def attention_spec_build(*, data: AttentionQuestionInput, previous: dict | None = None) -> dict:
    """A spec JSON for `data`; the stored answer of `previous` is reused when the model's inputs are the same."""
    spec = {
        "qtype": AttentionTokenSpec.qtype, "title": data.title, "text": data.text, "text_format": "markdown",
        "general_feedback": data.general_feedback, "explanation": data.explanation,
        "default_mark": data.default_mark, "sentence": data.sentence, "layer": data.layer, "head": data.head,
        "query_index": data.query_index, "model": MODEL_NAME,
    }
    if previous and previous.get("qtype") == AttentionTokenSpec.qtype and all(
            previous.get(key) == spec[key] for key in _MODEL_INPUTS):
        answer = {key: previous[key] for key in ("tokens", "weights", "answer_index", "answer_token", "answer_weight")}
    else:
        answer = attention_answer_compute(sentence=data.sentence, layer=data.layer, head=data.head,
                                          query_index=data.query_index)
    spec.update(answer)
    query_token = spec["tokens"][data.query_index]
    if not data.text.strip():
        spec["text"] = attention_default_text(layer=data.layer, head=data.head, query_token=query_token)
    if not data.title.strip():
        spec["title"] = f"Layer {data.layer}, head {data.head}: where does “{query_token}” look?"
    if previous and previous.get("category"):
        spec["category"] = previous["category"]
    return spec


def attention_question_create(*, quiz: Quiz, data: AttentionQuestionInput, user: User | None) -> Question:
    """Ask the model for the answer, then add the question. Nothing is saved when the model does not answer."""
    spec = attention_spec_build(data=data)
    return question_create(quiz=quiz, spec=spec, user=user)


def attention_question_update(*, question: Question, data: AttentionQuestionInput, user: User | None,
                              based_on: str | None = None) -> QuestionVersion:
    """Edit an attention question: a changed sentence, layer, head or query asks the model again."""
    latest = question.latest_version
    spec = attention_spec_build(data=data, previous=latest.spec if latest else None)
    return question_update(question=question, spec=spec, user=user, based_on=based_on)
