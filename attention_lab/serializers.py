"""Request and response shapes of POST /api/attention/ (also what the OpenAPI schema shows).
The lab's update view checks its texts with AttentionRequestSerializer too, so both accept the same texts."""
import re

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from attention_lab.model import MAX_TOKENS
from attention_lab.registry import UnknownModelError, model_available, model_spec

# Far beyond any text of MAX_TOKENS tokens (a token is rarely over 20 characters): refusing longer
# input early keeps a huge paste from being tokenised at all.
MAX_CHARACTERS = 20_000


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _no_control_characters(text: str) -> None:
    found = _CONTROL.search(text or "")
    if found:
        raise serializers.ValidationError(
            f"The text contains a control character (U+{ord(found.group()):04X}); remove it.", code="control_character"
        )


class TextField(serializers.CharField):
    """A string and nothing else: DRF's CharField would turn 42 or true into "42"/"True"."""

    default_error_messages = {
        "not_a_string": "Send the text as a JSON string.",
        "blank": "The text is empty: type a sentence to see its attention.",
        "max_length": f"The text is far over the model's limit of {MAX_TOKENS} tokens.",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(trim_whitespace=False, max_length=MAX_CHARACTERS, **kwargs)
        # Lone surrogates are accepted (they become U+FFFD in services, not a 400 the learner cannot
        # act on); control characters other than tab and line breaks are refused by the validator below.
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, (ProhibitNullCharactersValidator, ProhibitSurrogateCharactersValidator))
        ] + [_no_control_characters]

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


class IndexField(serializers.IntegerField):
    """A 0-based index as a JSON integer and nothing else: DRF's IntegerField would take true (bool is an
    int in Python), 1.0 and "1"; a script sending those has a bug we should show it, not guess around."""

    default_error_messages = {"not_an_integer": "Send each index as a JSON integer (0, 1, 2, …), not {value}."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("not_an_integer", value=repr(data)[:40])
        return super().to_internal_value(data)


def _index_list(what: str) -> serializers.ListField:
    return serializers.ListField(
        child=IndexField(min_value=0), required=False, allow_null=True, min_length=1, max_length=64,
        help_text=(
            f"Only these {what} (0-based JSON integers), returned in the order given, a repeated index "
            f"repeated; all of them when left out or null."
        ),
    )


class AttentionRequestSerializer(serializers.Serializer):
    text = TextField(help_text=f"Any Unicode text. At most {MAX_TOKENS} tokens, [CLS] and [SEP] included.")
    text_pair = TextField(
        required=False, allow_null=True, allow_blank=True,
        help_text="Optional second sentence (sentence-pair input: [CLS] text [SEP] text_pair [SEP]).",
    )

    model = serializers.CharField(
        required=False, allow_blank=True, allow_null=True,
        help_text="One of GET /api/attention/models/ (default, also when empty or null: "
        "sentence-transformers/all-MiniLM-L6-v2).",
    )
    layers = _index_list("layers")
    heads = _index_list("heads of each chosen layer")

    def validate_text(self, text: str) -> str:
        if not text.strip():  # only spaces: nothing for the model to look at
            raise serializers.ValidationError(TextField.default_error_messages["blank"], code="blank")
        return text

    def validate_text_pair(self, text_pair: str | None) -> str | None:
        # An empty or blank second box is one sentence, not "[CLS] text [SEP] [SEP]" (as in the lab).
        return text_pair if text_pair and text_pair.strip() else None

    def validate_model(self, name: str | None) -> str | None:
        if not name:
            return None
        try:
            model_spec(name)
        except UnknownModelError as error:
            raise serializers.ValidationError(str(error), code="unknown_model") from error
        if not model_available(name):
            raise serializers.ValidationError(f"{name} is not installed on this server.", code="unknown_model")
        return name

    def validate(self, attrs: dict) -> dict:
        spec = model_spec(attrs.get("model"))
        if attrs.get("text_pair") and not spec.text_pairs:
            raise serializers.ValidationError(
                {"text_pair": [f"{spec.name} reads one text, not a sentence pair."]}, code="no_text_pairs"
            )
        for name, count in (("layers", spec.layers), ("heads", spec.heads)):
            chosen = attrs.get(name)
            if chosen is None:
                attrs[name] = list(range(count))
                continue
            outside = [index for index in chosen if index >= count]
            if outside:
                raise serializers.ValidationError(
                    {name: [f"{spec.name} has {name} 0..{count - 1}; {outside} is outside."]}, code="out_of_range"
                )
        return attrs


class AttentionResponseSerializer(serializers.Serializer):
    model = serializers.CharField(help_text="The model's name, e.g. sentence-transformers/all-MiniLM-L6-v2.")
    device = serializers.CharField(help_text="Where the worker computed it: cpu or cuda.")
    tokens = serializers.ListField(child=serializers.CharField(), help_text="WordPiece tokens, [CLS] and [SEP] included.")
    token_type_ids = serializers.ListField(child=serializers.IntegerField(), help_text="0 for text, 1 for text_pair.")
    layers = serializers.IntegerField(help_text="How many layers `attentions` holds (those of `layer_indices`).")
    heads = serializers.IntegerField(help_text="How many heads per layer `attentions` holds (`head_indices`).")
    layer_indices = serializers.ListField(child=serializers.IntegerField(), help_text="The model's layers returned, in order.")
    head_indices = serializers.ListField(child=serializers.IntegerField(), help_text="The heads returned, in order.")
    attentions = serializers.ListField(
        child=serializers.ListField(child=serializers.ListField(child=serializers.ListField(child=serializers.FloatField()))),
        help_text=(
            "layers × heads × n × n weights, the worker's float32 values unrounded (shortest decimal that "
            "reads back as the same float32); row = query token, each row sums to 1 within float error."
        ),
    )
    cached = serializers.BooleanField(help_text="True when the answer came from the result cache, not the worker.")


class AttentionModelSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="What `model` takes in POST /api/attention/ and the lab.")
    layers = serializers.IntegerField()
    heads = serializers.IntegerField(help_text="Heads per layer.")
    causal = serializers.BooleanField(help_text="True for a decoder: each token attends only to itself and earlier tokens.")
    tokenizer = serializers.CharField(help_text="How text becomes tokens.")
    description = serializers.CharField()
    max_tokens = serializers.IntegerField(help_text="Longest input, special tokens included.")
    special_tokens = serializers.ListField(
        child=serializers.CharField(), help_text="Marker tokens the lab can hide from a map ([] when none)."
    )
    step_detail = serializers.BooleanField(help_text="True when the lab can show one head's q, k, v and scores.")
    text_pairs = serializers.BooleanField(help_text="True when `text_pair` is accepted.")


class AttentionErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in words a person can act on.")
    code = serializers.CharField(help_text="too_long, lab_unavailable, worker_unavailable, throttled, …")
    token_count = serializers.IntegerField(required=False, help_text="With too_long: the text's tokens.")
    limit = serializers.IntegerField(required=False, help_text=f"With too_long: the limit, {MAX_TOKENS}.")
