// The lab's share-link state: the text and view live in the URL (a link reproduces them) and the
// text also in localStorage; restore reads them back when the page opens.
import { Lab } from "./lab-page.js";
import { clampIndex } from "./pickers.js";

var VIEWS = ["head", "model", "step"];
var MODES = ["head", "mean", "rollout"];

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

Lab.prototype.bindCopyLink = function () {
  var self = this;
  this.$("copy-link").addEventListener("click", function () {
    var done = function () { self.say("Link copied: it reproduces this text and view.", false); };
    var fallback = function () { self.say("Copy the address bar to share this view: it carries the text and the view.", false); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(location.href).then(done, fallback);
    else fallback();
  });
};
