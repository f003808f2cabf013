// The lab's model-dependent controls: the chosen model's spec (from the registry, via
// data-models), pickers sized to its layers and heads, and the controls only some models offer.
import { Lab } from "./lab-page.js";
import { optionList } from "./pickers.js";

// The chosen model's shape and words (from the registry, via data-models).
Lab.prototype.spec = function (name) {
  name = name || this.model.value;
  for (var i = 0; i < this.models.length; i++) if (this.models[i].name === name) return this.models[i];
  return name === this.model.value || !name ? { name: this.model.value, layers: 6, heads: 12, max_tokens: this.maxTokens, description: "" } : null;
};

// Layer and head pickers sized to the model, keeping the current choice where it still exists.
Lab.prototype.fitPickers = function (spec, layer, head) {
  optionList(this.layer, spec.layers, Math.min(layer, spec.layers - 1));
  optionList(this.head, spec.heads, Math.min(head, spec.heads - 1));
  this.maxTokens = spec.max_tokens || this.maxTokens;
  this.$("limit").textContent = "(up to " + this.maxTokens + " tokens)";
  this.$("model-shape").textContent = spec.layers + " layers × " + spec.heads + " heads";
  this.$("model-name").textContent = spec.name;
  this.$("model-description").textContent = spec.description || "";
  this.$("all-heads-title").textContent = "All " + spec.layers + " × " + spec.heads + " heads";
  this.fitControls(spec);
  // A decoder trained with the mask is causal for real: the what-if switch is for encoders only.
  var whatIf = this.root.querySelector(".check--whatif"), note = this.root.querySelector(".lab-controls__note--whatif");
  if (whatIf) whatIf.hidden = !!spec.causal;
  if (note) note.textContent = spec.causal
    ? "This model is causal: it was trained with the mask, so each token sees only itself and earlier tokens (every map is lower-triangular)."
    : "A what-if: each token may see only itself and earlier tokens. This model was trained without that mask, reading the whole sentence at once.";
};

// Controls that apply to some models only, as the registry says (attention_lab/registry.py):
// "Hide …" lists the model's marker tokens, "Step by step" needs its q, k, v, a pair needs a
// model that reads two texts. Where one does not apply it is hidden, and switched off.
Lab.prototype.fitControls = function (spec) {
  var specials = spec.special_tokens || [];
  var hideControl = this.root.querySelector(".lab-control--hide");
  hideControl.hidden = !specials.length;
  this.$("hide-label").textContent = "Hide " + specials.join("/");
  if (!specials.length) this.hide.checked = false;
  var stepTab = this.root.querySelector("[data-lab-view='step']");
  stepTab.hidden = !spec.step_detail;
  if (!spec.step_detail && this.view === "step") this.setView("head", false);
  this.pair.closest("label").hidden = !spec.text_pairs;
  if (!spec.text_pairs) { this.pair.checked = false; this.pairField.hidden = true; }
};

// The mask is a what-if only on a model trained without it.
Lab.prototype.causalWhatIf = function (result) {
  var spec = this.spec(result.model);
  return !!result.causal && !(spec && spec.causal);
};

