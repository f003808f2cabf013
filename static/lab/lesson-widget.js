// The compact lab widget that an ```attention block puts into a lesson ([data-attention-widget]):
// a head view with its own text box; settings come from the fenced block's attributes.
import { Heatmap, el, matrixData } from "./heatmap.js";
import { Updater } from "./transport.js";
import { clampIndex, optionList } from "./pickers.js";

function Widget(root, updateUrl) {
  var settings = new URLSearchParams(root.getAttribute("data-attention-widget") || "");
  var self = this;
  this.root = root;
  var id = "aw-" + Math.random().toString(36).slice(2, 8);
  this.text = el("textarea", { id: id + "-text", rows: "2", className: "attention-widget__text", spellcheck: "false" });
  this.text.value = settings.get("text") || "";
  this.pair = null;
  if (settings.get("pair")) {
    this.pair = el("textarea", { id: id + "-pair", rows: "1", className: "attention-widget__text", spellcheck: "false" });
    this.pair.value = settings.get("pair");
  }
  this.layer = el("select", { id: id + "-layer" });
  this.head = el("select", { id: id + "-head" });
  // The fence already clamped layer and head to the model; the first answer brings the model's
  // shape (render refits the pickers), so no shape is written into the page.
  var layer = clampIndex(settings.get("layer"), 64, 0), head = clampIndex(settings.get("head"), 64, 0);
  optionList(this.layer, layer + 1, layer);
  optionList(this.head, head + 1, head);
  this.hide = el("input", { type: "checkbox", id: id + "-hide" });
  this.hide.checked = settings.get("hide") === "1";
  this.status = el("p", { className: "lab-status", role: "status", "aria-live": "polite" });
  this.counter = el("span", { className: "lab-counter" });
  this.link = el("a", { className: "attention-widget__open", text: "Open in the lab →" });
  var controls = el("div", { className: "attention-widget__controls" }, [
    el("label", { for: id + "-layer", text: "Layer" }), this.layer,
    el("label", { for: id + "-head", text: "Head" }), this.head,
    el("label", { className: "check", for: id + "-hide" }, [this.hide, document.createTextNode(" Hide [CLS]/[SEP]")]),
    this.counter, this.link,
  ]);
  var map = el("div", { className: "heatmap heatmap--compact" });
  var caption = root.querySelector(".attention-widget__caption");
  if (this.pair) {
    root.replaceChildren(
      el("p", { className: "attention-widget__label", text: "Live attention — edit both sentences, pick a layer and head:" }),
      el("label", { className: "attention-widget__pair-label", for: id + "-text", text: "Sentence A" }), this.text,
      el("label", { className: "attention-widget__pair-label", for: id + "-pair", text: "Sentence B" }), this.pair
    );
  } else {
    root.replaceChildren(
      el("p", { className: "attention-widget__label" }, [el("label", { for: id + "-text", text: "Live attention — edit the sentence, pick a layer and head:" })]),
      this.text
    );
  }
  root.append(controls, this.status, map);
  if (caption) root.appendChild(caption);
  this.heatmap = new Heatmap(map, { maxWidth: 560, maxCell: 32 });
  this.updater = new Updater(updateUrl, this.render.bind(this), this.showError.bind(this));
  [this.text, this.pair].forEach(function (input) { if (input) input.addEventListener("input", function () { self.refresh(false); }); });
  [this.layer, this.head, this.hide].forEach(function (control) { control.addEventListener("change", function () { self.refresh(true); }); });
  root.setAttribute("data-ready", "true");
  this.refresh(true);
}

Widget.prototype.body = function () {
  return {
    text: this.text.value, text_pair: this.pair ? this.pair.value : "", pair: Boolean(this.pair), view: "head", mode: "head",
    layer: Number(this.layer.value), head: Number(this.head.value), hide_specials: this.hide.checked,
  };
};

Widget.prototype.refresh = function (immediate) {
  var params = new URLSearchParams({ text: this.text.value, layer: String(Number(this.layer.value) + 1), head: String(Number(this.head.value) + 1) });
  if (this.pair) { params.set("pair", "1"); params.set("text_pair", this.pair.value); }
  if (this.hide.checked) params.set("hide", "1");
  this.link.setAttribute("href", "/lab/?" + params.toString());
  if (!this.text.value.trim() && !(this.pair && this.pair.value.trim())) {
    this.updater.cancel();
    this.heatmap.clear();
    this.status.textContent = "The text box is empty: type a sentence to see its attention.";
    this.status.classList.remove("lab-status--error");
    return;
  }
  this.updater.schedule(this.body.bind(this), immediate);
};

Widget.prototype.render = function (result) {
  if (this.layer.options.length !== result.layers) optionList(this.layer, result.layers, Math.min(Number(this.layer.value), result.layers - 1));
  if (this.head.options.length !== result.heads) optionList(this.head, result.heads, Math.min(Number(this.head.value), result.heads - 1));
  this.root.classList.remove("lab--stale");
  this.counter.textContent = result.token_count + " / " + result.limit + " tokens";
  this.counter.classList.remove("lab-counter--over");
  this.status.textContent = "";
  this.status.classList.remove("lab-status--error");
  this.heatmap.update(matrixData(result, "Layer " + (result.matrix.layer + 1) + ", head " + (result.matrix.head + 1)));
  this.root.setAttribute("data-updates", String(Number(this.root.getAttribute("data-updates") || 0) + 1));
};

Widget.prototype.showError = function (error, status) {
  var limit = error.limit || 256;
  if (error.token_count) {
    this.counter.textContent = error.token_count + " / " + limit + " tokens";
    this.counter.classList.toggle("lab-counter--over", error.token_count > limit);
  }
  this.status.textContent = (error.detail || "Something went wrong.") + (status >= 500 || status === 0 ? " Retrying by itself…" : "");
  this.status.classList.add("lab-status--error");
  this.root.classList.toggle("lab--stale", status >= 500 || status === 0 || error.code === "too_long");
};

export { Widget };
