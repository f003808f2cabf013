"""The lab page's update request: what is on screen (view, layer, head, toggles) plus the text."""
from django import forms

from attention_lab.model import MAX_TOKENS
from attention_lab.registry import UnknownModelError, model_available, model_spec

# Upper bounds for any registered model; clean() checks layer and head against the chosen one.
MAX_LAYERS, MAX_HEADS = 64, 64
MODES = [("head", "One head"), ("mean", "Mean of the layer's heads"), ("rollout", "Rollout up to this layer")]
VIEWS = [("head", "Head"), ("model", "All heads"), ("step", "Step by step")]
EXAMPLE_TEXT = "The cat sat on the mat because it was tired."


class LabUpdateForm(forms.Form):
    # The texts arrive already checked by the API's serializer (AttentionRequestSerializer), so both
    # endpoints share one rule for them; the form only carries them along with the view settings.
    text = forms.Field(required=False)
    text_pair = forms.Field(required=False)
    pair = forms.BooleanField(required=False)
    page = forms.CharField(required=False, max_length=64)
    view = forms.ChoiceField(choices=VIEWS, required=False)
    mode = forms.ChoiceField(choices=MODES, required=False)
    model = forms.CharField(required=False, max_length=100)
    layer = forms.IntegerField(min_value=0, max_value=MAX_LAYERS - 1, required=False)
    head = forms.IntegerField(min_value=0, max_value=MAX_HEADS - 1, required=False)
    query = forms.IntegerField(min_value=0, max_value=MAX_TOKENS - 1, required=False)
    hide_specials = forms.BooleanField(required=False)
    causal = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        data["view"] = data.get("view") or "head"
        data["mode"] = data.get("mode") or "head"
        data["layer"] = data.get("layer") or 0
        data["head"] = data.get("head") or 0
        data["query"] = data.get("query") or 0
        name = data.get("model") or None
        try:
            spec = model_spec(name)
        except UnknownModelError as error:
            raise forms.ValidationError({"model": str(error)}) from error
        if not model_available(spec.name):
            raise forms.ValidationError({"model": f"{spec.name} is not installed on this server."})
        data["model"] = name
        for field, count in (("layer", spec.layers), ("head", spec.heads)):
            if data[field] >= count:
                self.add_error(field, f"{spec.name} has {field}s 1..{count}.")
        # Pair mode with an empty second box is just the first sentence, not "[SEP] [SEP]".
        data["text"] = data.get("text") or ""
        pair_text = data.get("text_pair") or ""
        data["text_pair"] = pair_text if data.get("pair") and pair_text.strip() else None
        return data
