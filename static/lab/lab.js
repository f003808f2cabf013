// The attention lab in the browser: the full lab page ([data-attention-lab]) and the compact widgets
// that ```attention blocks put into lessons ([data-attention-widget]). An ES module, loaded only by
// the pages that have one of them; drawing lives in heatmap.js, the model and step views in
// panels.js, the requests in transport.js. Configuration comes from data- attributes (strict CSP).
import { Heatmap, differenceData, download, el, matrixData } from "./heatmap.js";
import { renderStep, renderThumbs } from "./panels.js";
import { Updater } from "./transport.js";

var VIEWS = ["head", "model", "step"];
var MODES = ["head", "mean", "rollout"];

function optionList(select, count, selected) {
  var options = [];
  for (var i = 0; i < count; i++) options.push(el("option", { value: String(i), text: String(i + 1) }));
  select.replaceChildren.apply(select, options);
  select.value = String(selected);
}

function clampIndex(value, count, fallback) {
  var n = parseInt(value, 10);
  return isNaN(n) ? fallback : Math.max(1, Math.min(count, n)) - 1;
}

// ------------------------------------------------------------------ the full lab page
function Lab(root) {
  this.root = root;
  this.$ = function (name) { return root.querySelector("[data-lab-" + name + "]"); };
  this.text = this.$("text");
  this.textPair = this.$("text-pair");
  this.pair = this.$("pair");
  this.pairField = this.$("pair-field");
  this.counter = this.$("counter");
  this.status = this.$("status");
  this.layer = this.$("layer");
  this.head = this.$("head");
  this.mode = this.$("mode");
  this.hide = this.$("hide");
  this.causal = this.$("causal");
  this.query = this.$("query");
  this.model = this.$("model");
  try { this.models = JSON.parse(root.getAttribute("data-models") || "[]"); } catch (error) { this.models = []; }
  this.tabs = Array.prototype.slice.call(root.querySelectorAll("[data-lab-view]"));
  this.panels = Array.prototype.slice.call(root.querySelectorAll("[data-lab-panel]"));
  this.maxTokens = Number(root.getAttribute("data-max-tokens") || 256);
  this.example = root.getAttribute("data-example") || "";
  this.view = "head";
  this.result = null;
  var self = this;
  this.heatmap = new Heatmap(this.$("heatmap"), {
    onSelectRow: function (index) { if (index !== null) { self.pendingQuery = index; self.query.value = String(index); } self.remember(self.body()); },
    onZoom: function () { self.remember(self.body()); },
  });
  this.updater = new Updater(root.getAttribute("data-update-url"), this.render.bind(this), this.showError.bind(this));
  // Compare two texts: a second map with its own request stream, and their difference.
  this.compare = this.$("compare");
  this.compareText = this.$("compare-text");
  this.heatmapB = this.heatmapDiff = null; // made on the first comparison: one map on the page until then
  this.updaterB = new Updater(root.getAttribute("data-update-url"), this.renderB.bind(this), this.showError.bind(this));
  this.restore();
  this.bind();
  this.root.setAttribute("data-ready", "true");
  this.refresh(true);
}

// The URL wins (a shared link reproduces its view); otherwise the last text typed in this browser.
Lab.prototype.restore = function () {
  var params = new URLSearchParams(location.search);
  var stored = null;
  try { stored = JSON.parse(localStorage.getItem("attentive-lab:text") || "null"); } catch (error) { stored = null; }
  if (!params.has("text") && stored && typeof stored.text === "string") {
    this.text.value = stored.text;
    this.textPair.value = stored.text_pair || "";
    this.pair.checked = Boolean(stored.pair);
  }
  if (params.get("pair") === "1") this.pair.checked = true;
  if (params.get("model") && this.spec(params.get("model"))) this.model.value = params.get("model");
  var spec = this.spec();
  this.fitPickers(spec, clampIndex(params.get("layer"), spec.layers, 0), clampIndex(params.get("head"), spec.heads, 0));
  if (MODES.indexOf(params.get("mode")) >= 0) this.mode.value = params.get("mode");
  this.hide.checked = params.get("hide") === "1" && (spec.special_tokens || []).length > 0;
  this.causal.checked = params.get("causal") === "1";
  this.pendingQuery = clampIndex(params.get("q"), this.maxTokens, 0);
  // Zoom and the highlighted row come back once the first map is drawn (render).
  this.pendingZoom = Number(params.get("zoom")) || null;
  this.pendingRow = params.has("row") ? Number(params.get("row")) : null;
  this.setView(VIEWS.indexOf(params.get("view")) >= 0 ? params.get("view") : "head", false);
  this.pairField.hidden = !this.pair.checked;
};

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

Lab.prototype.bind = function () {
  var self = this;
  this.compare.addEventListener("change", function () { self.refresh(true); });
  this.compareText.addEventListener("input", function () { self.refresh(false); });
  this.model.addEventListener("change", function () {
    self.fitPickers(self.spec(), Number(self.layer.value), Number(self.head.value));
    self.querySignature = null;
    self.refresh(true);
  });
  [this.text, this.textPair].forEach(function (input) {
    input.addEventListener("input", function () { self.refresh(false); });
    // Phones: bring the (sticky) text box to the top, so the map sits right under it while typing.
    input.addEventListener("focus", function () {
      if (window.matchMedia("(max-width: 999px)").matches) window.scrollTo({ top: self.root.querySelector(".lab-layout").getBoundingClientRect().top + window.scrollY - 4 });
    });
  });
  [this.pair, this.layer, this.head, this.mode, this.hide, this.causal, this.query].forEach(function (control) {
    control.addEventListener("change", function () {
      if (control === self.query) self.pendingQuery = Number(self.query.value);
      self.pairField.hidden = !self.pair.checked;
      self.refresh(true);
    });
  });
  this.tabs.forEach(function (tab) {
    tab.addEventListener("click", function () { self.setView(tab.getAttribute("data-lab-view"), true); });
    tab.addEventListener("keydown", function (event) {
      var tabs = self.tabs.filter(function (each) { return !each.hidden; }); // the views this model offers
      var index = tabs.indexOf(tab), next = null;
      if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
      if (event.key === "ArrowLeft") next = tabs[(index + tabs.length - 1) % tabs.length];
      if (event.key === "Home") next = tabs[0];
      if (event.key === "End") next = tabs[tabs.length - 1];
      if (next) { event.preventDefault(); next.focus(); self.setView(next.getAttribute("data-lab-view"), true); }
    });
  });
  this.root.querySelector("[data-lab-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    self.refresh(true);
  });
  this.$("use-example").addEventListener("click", function () {
    self.text.value = self.example;
    self.text.focus();
    self.refresh(true);
  });
  this.$("export-png").addEventListener("click", function () {
    if (!self.heatmap.data) return;
    self.heatmap.toPngCanvas(self.caption()).toBlob(function (blob) { download(blob, self.fileName() + ".png"); });
  });
  this.$("export-svg").addEventListener("click", function () {
    if (!self.heatmap.data) return;
    download(new Blob([self.heatmap.toSvg(self.caption())], { type: "image/svg+xml" }), self.fileName() + ".svg");
  });
  this.$("export-json").addEventListener("click", function () {
    if (!self.heatmap.data) return;
    download(new Blob([self.heatmap.toJson(self.caption())], { type: "application/json" }), self.fileName() + ".json");
  });
  this.$("copy-link").addEventListener("click", function () {
    var done = function () { self.say("Link copied: it reproduces this text and view.", false); };
    var fallback = function () { self.say("Copy the address bar to share this view: it carries the text and the view.", false); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(location.href).then(done, fallback);
    else fallback();
  });
};

// What a figure says under itself: the model, layer, head and view it shows.
Lab.prototype.caption = function () {
  var m = this.result ? this.result.matrix : { mode: this.mode.value, layer: Number(this.layer.value), head: Number(this.head.value) };
  var view = { head: "one head", mean: "mean of the layer's heads", rollout: "attention rollout" }[m.mode];
  return "Model " + this.model.value + " · layer " + (m.layer + 1) + (m.mode === "head" ? " · head " + (m.head + 1) : "") + " · view: " + view +
    (this.hide.checked ? " · [CLS]/[SEP] hidden, rows renormalised" : "") + " · rows = query, columns = key";
};

Lab.prototype.fileName = function () {
  var mode = this.mode.value;
  return "attention-L" + (Number(this.layer.value) + 1) + (mode === "head" ? "-H" + (Number(this.head.value) + 1) : "-" + mode);
};

Lab.prototype.setView = function (view, refresh) {
  var tab = this.root.querySelector("[data-lab-view='" + view + "']");
  this.view = tab && !tab.hidden ? view : "head"; // e.g. a shared step-view link, opened on a model without q, k, v
  view = this.view;
  this.tabs.forEach(function (tab) {
    var on = tab.getAttribute("data-lab-view") === view;
    tab.setAttribute("aria-selected", on ? "true" : "false");
    tab.tabIndex = on ? 0 : -1;
  });
  this.panels.forEach(function (panel) { panel.hidden = panel.getAttribute("data-lab-panel") !== view; });
  this.root.setAttribute("data-view", view);
  if (this.compare && !refresh) this.refreshCompare();
  if (refresh) this.refresh(true);
  else if (view === "head") this.heatmap.draw();
};

Lab.prototype.body = function () {
  return {
    model: this.model.value,
    text: this.text.value,
    text_pair: this.textPair.value,
    pair: this.pair.checked,
    view: this.view,
    mode: this.mode.value,
    layer: Number(this.layer.value),
    head: Number(this.head.value),
    query: Number(this.pendingQuery || 0),
    hide_specials: this.hide.checked,
    causal: this.causal.checked,
  };
};

Lab.prototype.refresh = function (immediate) {
  var body = this.body();
  this.remember(body);
  if (!body.text.trim() && !(body.pair && body.text_pair.trim())) {
    this.updater.cancel();
    this.heatmap.clear(); // no map, title or readout left from the old text
    this.result = null;
    this.$("title").textContent = "No text yet";
    this.root.removeAttribute("aria-busy");
    this.say("The text box is empty. Type a sentence, or try the example: “" + this.example + "”", false);
    this.counter.textContent = "0 / " + this.maxTokens + " tokens";
    this.counter.classList.remove("lab-counter--over");
    this.$("notice").hidden = true;
    return;
  }
  this.root.setAttribute("aria-busy", "true");
  this.updater.schedule(this.body.bind(this), immediate);
  this.refreshCompare();
};

// The compared text follows the same view, layer and head (head view only: a map to set beside).
Lab.prototype.comparing = function () {
  return this.compare.checked && this.view === "head" && this.compareText.value.trim() !== "";
};

Lab.prototype.refreshCompare = function () {
  this.$("compare-field").hidden = !this.compare.checked;
  var on = this.comparing();
  this.root.classList.toggle("lab--compare", on);
  ["compare-b", "compare-diff", "map-title-a"].forEach(function (name) { this.$(name).hidden = !on; }, this);
  if (!on) {
    this.updaterB.cancel();
    this.resultB = null;
    if (this.heatmapB) { this.heatmapB.clear(); this.heatmapDiff.clear(); }
    return;
  }
  if (!this.heatmapB) {
    this.heatmapB = new Heatmap(this.$("heatmap-b"), { emptyText: "The compared text's map appears here." });
    this.heatmapDiff = new Heatmap(this.$("heatmap-diff"), { emptyText: "The difference appears when both maps are in." });
  }
  var self = this;
  this.updaterB.schedule(function () { var body = self.body(); body.text = self.compareText.value; body.pair = false; body.text_pair = ""; body.page = null; return body; });
};

Lab.prototype.renderB = function (result) {
  this.resultB = result;
  this.heatmapB.update(matrixData(result, "Compared: " + this.title(result)));
  this.drawDifference();
};

// Yours − compared, cell by cell, when both maps show the same view of the same number of tokens.
Lab.prototype.drawDifference = function () {
  if (!this.comparing() || !this.heatmapB) return;
  var a = this.heatmap.data, b = this.heatmapB.data, note = this.$("diff-note");
  if (!a || !b || !this.result || !this.resultB) return;
  var same = ["mode", "layer", "head"].every(function (key) { return this.result.matrix[key] === this.resultB.matrix[key]; }, this);
  if (!same) return; // the other answer for the new settings is on its way
  if (a.size !== b.size) {
    note.textContent = "The two texts have " + a.size + " and " + b.size + " tokens: a cell-by-cell difference needs the same count (a minimal pair: one word changed for one word).";
    note.hidden = false;
    this.heatmapDiff.clear();
    return;
  }
  note.hidden = true;
  this.heatmapDiff.update(differenceData(a, b, "Difference: " + this.title(this.result)));
};

// The text and view live in the URL (a link reproduces them) and the text in localStorage.
Lab.prototype.remember = function (body) {
  var params = new URLSearchParams();
  params.set("text", body.text);
  if (this.models.length && body.model !== this.models[0].name) params.set("model", body.model);
  if (body.pair) { params.set("pair", "1"); params.set("text_pair", body.text_pair); }
  if (this.compare && this.compare.checked) params.set("compare", this.compareText.value);
  params.set("view", body.view);
  params.set("layer", String(body.layer + 1));
  params.set("head", String(body.head + 1));
  if (body.mode !== "head") params.set("mode", body.mode);
  if (body.hide_specials) params.set("hide", "1");
  if (body.causal) params.set("causal", "1");
  if (body.view === "step") params.set("q", String(body.query + 1));
  if (this.heatmap && this.heatmap.zoom > 1) params.set("zoom", this.heatmap.zoom.toFixed(2));
  var row = this.heatmap && this.heatmap.data && this.heatmap.selectedRow !== null ? this.heatmap.data.shown[this.heatmap.selectedRow] : this.pendingRow;
  if (row !== null && row !== undefined) params.set("row", String(row)); // token index, [CLS] = 0
  history.replaceState(null, "", location.pathname + "?" + params.toString());
  try { localStorage.setItem("attentive-lab:text", JSON.stringify({ text: body.text, text_pair: body.text_pair, pair: body.pair })); } catch (error) { /* private mode: the URL still has it */ }
};

Lab.prototype.say = function (message, isError) {
  this.status.textContent = message;
  this.status.classList.toggle("lab-status--error", Boolean(isError));
};

Lab.prototype.showError = function (error, status) {
  this.root.removeAttribute("aria-busy");
  var limit = error.limit || this.maxTokens;
  if (error.token_count) {
    this.counter.textContent = error.token_count + " / " + limit + " tokens";
    this.counter.classList.toggle("lab-counter--over", error.token_count > limit);
  }
  var message = error.detail || "Something went wrong.";
  if (error.code === "too_long") message = "Too long: " + error.token_count + " tokens, and the model reads at most " + limit + " ([CLS] and [SEP] included). Shorten the text to update the heatmap.";
  else if (status >= 500 || status === 0 || status === 429) message += " Retrying by itself…";
  this.say(message, true);
  var notice = this.$("notice");
  notice.textContent = message;
  notice.hidden = false;
  this.root.setAttribute("data-error", error.code || "error");
  this.root.classList.toggle("lab--stale", status >= 500 || status === 0 || status === 429 || error.code === "too_long");
};

Lab.prototype.title = function (result) {
  var layer = result.matrix.layer + 1, head = result.matrix.head + 1;
  var title = result.matrix.mode === "mean" ? "Layer " + layer + ", mean of the " + result.heads + " heads" : result.matrix.mode === "rollout" ? "Attention rollout through layers 1–" + layer : "Layer " + layer + ", head " + head;
  return title + (this.causalWhatIf(result) ? " — causal-mask what-if" : "");
};

Lab.prototype.render = function (result) {
  var started = performance.now(), self = this;
  this.result = result;
  this.root.removeAttribute("aria-busy");
  this.root.removeAttribute("data-error");
  this.$("notice").hidden = true;
  this.root.classList.remove("lab--stale");
  this.counter.textContent = result.token_count + " / " + result.limit + " tokens";
  this.counter.classList.remove("lab-counter--over");
  if (this.view === "step") this.fillQueryOptions(result); // 256 <option>s cost a paint's worth of time: only where they show
  var title = this.title(result);
  this.$("title").textContent = title;
  if (this.view === "model" && result.thumbs) {
    renderThumbs(this.$("thumbs"), result, Number(this.layer.value) * result.heads + Number(this.head.value), function (layer, head) {
      self.layer.value = String(layer);
      self.head.value = String(head);
      self.mode.value = "head";
      self.setView("head", true);
      self.heatmap.canvas.focus();
    });
  } else {
    this.heatmap.update(matrixData(result, title));
    this.restoreFigure();
    this.drawDifference();
    if (this.view === "step" && result.step) {
      renderStep({ intro: this.$("step-intro"), q: this.$("step-q"), rows: this.$("step-rows"), output: this.$("step-output") }, result);
    }
  }
  var drawMs = performance.now() - started;
  this.root.setAttribute("data-draw-ms", drawMs.toFixed(2));
  this.root.setAttribute("data-round-trip-ms", result.elapsed_ms.toFixed(1)); // request out → answer in
  this.root.setAttribute("data-updates", String(Number(this.root.getAttribute("data-updates") || 0) + 1));
  this.say("Updated" + (result.cached ? " from the cache" : "") + " in " + Math.round(result.elapsed_ms) + " ms · " + result.model + " on " + result.device + (this.causalWhatIf(result) ? " · causal-mask what-if (the model was trained without this mask)" : result.causal ? " · a causal model" : ""), false);
};

// A shared link's zoom and highlighted row, applied to the first map that has that row.
Lab.prototype.restoreFigure = function () {
  if (this.pendingZoom) { this.heatmap.setZoom(this.pendingZoom); this.pendingZoom = null; }
  if (this.pendingRow !== null) {
    var at = this.heatmap.data.shown.indexOf(this.pendingRow);
    this.pendingRow = null;
    if (at >= 0 && this.heatmap.selectedRow !== at) this.heatmap.selectRow(at);
  }
};

Lab.prototype.fillQueryOptions = function (result) {
  var signature = result.tokens.join("\u0000");
  if (this.querySignature !== signature) {
    this.querySignature = signature;
    var options = result.tokens.map(function (token, index) { return el("option", { value: String(index), text: index + ". " + token }); });
    this.query.replaceChildren.apply(this.query, options);
  }
  this.pendingQuery = Math.min(this.pendingQuery || 0, result.tokens.length - 1);
  this.query.value = String(this.pendingQuery);
};

// ------------------------------------------------------------------ lesson widget
// A compact head view with its own text box; settings come from the fenced block's attributes.
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

function start() {
  var updateUrl = document.documentElement.getAttribute("data-lab-update-url") || "/lab/update/";
  document.querySelectorAll("[data-attention-lab]").forEach(function (root) { root.lab = new Lab(root); });
  document.querySelectorAll("[data-attention-widget]").forEach(function (root) { root.widget = new Widget(root, updateUrl); });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
