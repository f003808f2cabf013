// The full lab page ([data-attention-lab]): its controls, the request cycle and what an answer
// draws. Model-dependent controls, the views, the compared text, the share link and the figure
// exports add their methods to Lab.prototype from the lab-*.js modules that lab.js loads.
import { Heatmap, el, matrixData } from "./heatmap.js";
import { renderStep } from "./panels.js";
import { Updater } from "./transport.js";

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

Lab.prototype.bind = function () {
  var self = this;
  this.bindCompare();
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
  this.bindViewTabs();
  this.root.querySelector("[data-lab-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    self.refresh(true);
  });
  this.$("use-example").addEventListener("click", function () {
    self.text.value = self.example;
    self.text.focus();
    self.refresh(true);
  });
  this.bindExportButtons();
  this.bindCopyLink();
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
  var started = performance.now();
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
    this.showThumbs(result);
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

export { Lab };
