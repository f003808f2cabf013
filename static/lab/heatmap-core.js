// The Heatmap component's skeleton: its elements, its data and the update/clear cycle. The
// drawing, zoom, cursor and export methods are added to Heatmap.prototype by the heatmap-*.js
// modules; import Heatmap from heatmap.js, which loads them all, never from this file.
import { el } from "./dom.js";
import { carriedIndex } from "./matrix-data.js";

// What the readout says while no cell is under the cursor.
var READOUT_HINT = "Hover a cell, or focus the map and use the arrow keys, to read a weight. Click a token (or press Enter) to pick its row.";

// Arrow keys move a cursor cell, Enter/Space picks its row; hover or focus reads
// "query → key: weight" through an aria-live readout; the chosen row's strongest keys are listed.
function Heatmap(root, options) {
  this.options = options || {};
  this.root = root;
  this.figure = el("div", { className: "heatmap__figure" });
  this.scroller = el("div", { className: "heatmap__scroll" });
  this.canvas = el("canvas", { className: "heatmap__canvas", tabindex: "0", role: "img", "aria-label": "Attention heatmap" });
  this.legend = el("div", { className: "heatmap__legend", "aria-hidden": "true" });
  this.side = el("div", { className: "heatmap__side" });
  this.readout = el("p", { className: "heatmap__readout", "aria-live": "polite", text: READOUT_HINT });
  this.rowDetail = el("div", { className: "heatmap__row", hidden: "" });
  this.summary = el("details", { className: "heatmap__summary" }, [el("summary", { text: "Text summary: what each token attends to most" }), el("ol", { tabindex: "0", "aria-label": "What each token attends to most" })]);
  // Two layers: the map (redrawn only when the data or the layout change, and exported) and an
  // overlay for the cursor and the highlighted row and column (redrawn on every move, never exported).
  this.overlay = el("canvas", { className: "heatmap__overlay", "aria-hidden": "true" });
  this.stack = el("div", { className: "heatmap__stack" }, [this.canvas, this.overlay]);
  this.scroller.appendChild(this.stack);
  this.figure.appendChild(this.scroller);
  this.zoom = 1; // × the cell size that fits the width; wheel (ctrl/pinch), two-finger pinch, + and -
  this.figure.appendChild(this.legend);
  this.side.appendChild(this.readout);
  this.side.appendChild(this.rowDetail);
  this.side.appendChild(this.summary);
  root.appendChild(this.figure);
  root.appendChild(this.side);
  this.empty = el("p", { className: "heatmap__empty", text: this.options.emptyText || "The heatmap appears here as soon as the model has read your text." });
  this.figure.insertBefore(this.empty, this.scroller);
  this.cursor = null; // [row, col] in shown coordinates
  this.selectedRow = null;
  this.data = null;
  this.bindEvents();
  // Redraw when the space for the map changes (window resize, phone rotation, side panels).
  var self = this, lastWidth = 0;
  if (window.ResizeObserver) {
    new ResizeObserver(function () {
      var width = self.root.clientWidth;
      if (width !== lastWidth) { lastWidth = width; self.draw(); }
    }).observe(this.root);
  }
}

// Pointer, wheel and keyboard handlers live beside the behaviour they drive.
Heatmap.prototype.bindEvents = function () {
  this.bindCursorEvents();
  this.bindZoomGestures();
};

Heatmap.prototype.weight = function (row, col) {
  var d = this.data, level = d.cells[row * d.size + col] / 255;
  return d.signed ? (level * 2 - 1) * d.max : level * d.max;
};

Heatmap.prototype.token = function (shownIndex) {
  return this.data.tokens[this.data.shown[shownIndex]];
};

// The strongest keys of one row, largest first: [[weight, col], …].
Heatmap.prototype.topKeys = function (row, count) {
  var pairs = [];
  for (var col = 0; col < this.data.size; col++) pairs.push([this.weight(row, col), col]);
  pairs.sort(function (a, b) { return b[0] - a[0]; });
  return pairs.slice(0, count);
};

// data: {tokens, shown, sequence_ids, size, max, cells (Uint8Array), title, renormalised}
Heatmap.prototype.update = function (data) {
  var old = this.data;
  this.data = data;
  this.root.classList.add("has-data");
  this.root.classList.toggle("heatmap--long", data.size > 64); // long texts: the readout goes under the map
  // The picked row and the cursor follow their tokens into the new map. Answers land one round trip
  // behind the typing, so a row picked on the map of "…quic" must survive the map of "…quickly"
  // (and a new layer or head), and go only where its own token changed.
  this.selectedRow = carriedIndex(old, data, this.selectedRow);
  var cursor = this.cursor ? [carriedIndex(old, data, this.cursor[0]), carriedIndex(old, data, this.cursor[1])] : [null, null];
  this.cursor = cursor[0] !== null && cursor[1] !== null ? cursor : null;
  if (!this.cursor) this.clearReadout(); // an old "query → key" would not describe this text
  this.bitmap = null; // rebuilt from the new cells on the next draw
  this.canvas.setAttribute("aria-label", data.title + ": attention heatmap, " + data.size + " by " + data.size + " tokens. Arrow keys move between cells, Enter highlights a row; a text summary follows.");
  this.draw();
  this.drawLegend();
  this.fillRowDetail();
  if (this.cursor) this.describe(this.cursor);
  if (this.summary.open) this.fillSummary();
};

// Empty text: no map, no title, no readout left from an older text.
Heatmap.prototype.clear = function () {
  this.data = null;
  this.layout = null;
  this.bitmap = null;
  this.selectedRow = null;
  this.clearReadout();
  this.root.classList.remove("has-data");
  this.rowDetail.hidden = true;
};

export { Heatmap, READOUT_HINT };
