// Comparing two texts on the lab page: a second map with its own request stream, and the
// difference of the two maps cell by cell.
import { Lab } from "./lab-page.js";
import { Heatmap, differenceData, matrixData } from "./heatmap.js";

Lab.prototype.bindCompare = function () {
  var self = this;
  this.compare.addEventListener("change", function () { self.refresh(true); });
  this.compareText.addEventListener("input", function () { self.refresh(false); });
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

