"""The editor form of an attention question: a sentence, a layer, a head and a query token.

Cleaning it asks the lab's worker for the answer (quizzes.services.model_graded), so a form that
validates carries the model's answer in `cleaned_data["model_answer"]`; when the worker does not
answer, the form is invalid, keeps everything the author typed and says why.
"""
from django import forms
from django.core.exceptions import ValidationError

from attention_lab.model import TextTooLongError

from ..domain.spec import ATTENTION_HEADS, ATTENTION_LAYERS
from ..services.model_graded import (
    AttentionQuestionInput,
    attention_spec_build,
    attention_tokens_preview,
    tokens_listed,
)
from ..qtypes.attention_token import PREVIOUS_KEY
from .question_fields import QuestionCommonForm

# The spec fields the model's answer fills in (copied into the editor's spec after cleaning).
MODEL_ANSWER_FIELDS = ("model", "tokens", "weights", "answer_index", "answer_token", "answer_weight")


class AttentionTokenForm(QuestionCommonForm):
    sentence = forms.CharField(
        label="Sentence", max_length=1000, required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. The cat sat on the mat because it was tired."}),
        help_text="The model reads this; students pick one of its tokens.",
    )
    layer = forms.TypedChoiceField(
        label="Layer", coerce=int, initial=1, choices=[(n, str(n)) for n in range(1, ATTENTION_LAYERS + 1)],
    )
    head = forms.TypedChoiceField(
        label="Head", coerce=int, initial=1, choices=[(n, str(n)) for n in range(1, ATTENTION_HEADS + 1)],
    )
    query_index = forms.IntegerField(
        label="Query token (position)", min_value=0, initial=1,
        help_text="Position of the token whose attention is asked about: [CLS] is 0, the first word usually 1. "
                  "The live preview numbers every token of the sentence.",
    )

    lab_link_during_attempt = forms.BooleanField(
        label="Show “open this sentence in the lab” while learners answer", required=False,
        help_text="Off by default. With the link the question is open-book: the lab shows every head's "
                  "attention, so a learner can read the answer off it. Attention questions are open-book by "
                  "nature (anyone can open the lab); turn this on for practice, leave it off for a graded check.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.previous: dict | None = self.initial.get(PREVIOUS_KEY)

    def clean_sentence(self) -> str:
        sentence = " ".join((self.cleaned_data.get("sentence") or "").split())
        if not sentence:
            raise ValidationError("Write the sentence the model should read.", code="sentence_required")
        return sentence

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:  # ask the model only about a question that is otherwise complete
            return cleaned
        sentence, query = cleaned["sentence"], cleaned["query_index"]
        try:
            tokens = attention_tokens_preview(sentence=sentence)
        except TextTooLongError as error:
            self.add_error("sentence", ValidationError(
                f"This sentence is {error.token_count} tokens long; the model reads at most {error.limit}.",
                code="too_long"))
            return cleaned
        if query >= len(tokens):
            self.add_error("query_index", ValidationError(
                f"This sentence has {len(tokens)} tokens; choose a position from 0 to {len(tokens) - 1}: "
                f"{tokens_listed(tokens)}.", code="bad_query"))
            return cleaned
        data = AttentionQuestionInput(
            title=(cleaned.get("title") or "").strip(), text=cleaned.get("text") or "", sentence=sentence,
            layer=cleaned["layer"], head=cleaned["head"], query_index=query,
        )
        try:
            spec = attention_spec_build(data=data, previous=self.previous)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            else:
                self.add_error(None, error)
            return cleaned
        # title and text: the service fills in blank ones from the query token.
        cleaned["model_answer"] = {key: spec[key] for key in (*MODEL_ANSWER_FIELDS, "title", "text")}
        return cleaned
