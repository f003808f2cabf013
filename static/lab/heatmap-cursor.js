// The Heatmap's cursor and selection: hover or arrow keys move a cursor cell and an aria-live
// readout says "query → key: weight"; a click or Enter picks a row, whose strongest keys are
// listed; the text summary is the map's text alternative.
import { Heatmap, READOUT_HINT } from "./heatmap-core.js";
import { displayToken, el, fmt } from "./dom.js";

Heatmap.prototype.bindCursorEvents = function () {
  var self = this;
  this.canvas.addEventListener("mousemove", function (event) {
    var cell = self.cellAt(event);
    if (cell && (!self.cursor || cell[0] !== self.cursor[0] || cell[1] !== self.cursor[1])) {
      self.cursor = cell; self.describe(cell); self.drawOverlay();
    }
  });
  this.canvas.addEventListener("click", function (event) {
    var hit = self.cellAt(event, true);
    if (hit) self.selectRow(hit[0]);
  });
  this.canvas.addEventListener("keydown", function (event) {
    if (!self.data) return;
    var m = self.data.size, cell = self.cursor || [0, 0];
    var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (moves[event.key]) {
      event.preventDefault();
      cell = [Math.max(0, Math.min(m - 1, cell[0] + moves[event.key][0])), Math.max(0, Math.min(m - 1, cell[1] + moves[event.key][1]))];
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      cell = [cell[0], event.key === "Home" ? 0 : m - 1];
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      self.selectRow(cell[0]);
      return;
    } else if (event.key === "+" || event.key === "=" || event.key === "-") {
      event.preventDefault();
      self.zoomBy(event.key === "-" ? 0.8 : 1.25);
      return;
    } else if (event.key === "Escape" && self.selectedRow !== null) {
      self.selectRow(self.selectedRow);
      return;
    } else {
      return;
    }
    self.cursor = cell; self.describe(cell); self.drawOverlay(); self.scrollToCell(cell);
  });
  this.canvas.addEventListener("focus", function () {
    if (!self.cursor && self.data) { self.cursor = [0, 0]; self.describe(self.cursor); self.drawOverlay(); }
  });
  this.summary.addEventListener("toggle", function () { if (self.summary.open) self.fillSummary(); });
};

// Clicking the highlighted row again clears it.
Heatmap.prototype.selectRow = function (row) {
  this.selectedRow = this.selectedRow === row ? null : row;
  this.draw(); // the chosen row's label turns bold
  this.fillRowDetail();
  if (this.options.onSelectRow) this.options.onSelectRow(this.selectedRow === null ? null : this.data.shown[row]);
};

Heatmap.prototype.cellAt = function (event, allowLabels) {
  if (!this.layout) return null;
  var rect = this.canvas.getBoundingClientRect();
  var x = event.clientX - rect.left, y = event.clientY - rect.top, L = this.layout;
  var col = Math.floor((x - L.left) / L.cell), row = Math.floor((y - L.top) / L.cell);
  if (allowLabels && x < L.left && row >= 0 && row < L.m) return [row, 0]; // a row's token label
  if (row < 0 || col < 0 || row >= L.m || col >= L.m) return null;
  return [row, col];
};

Heatmap.prototype.describe = function (cell) {
  var d = this.data;
  this.readout.textContent = "Query “" + this.token(cell[0]) + "” (#" + d.shown[cell[0]] + ") → key “" + this.token(cell[1]) + "” (#" + d.shown[cell[1]] + "): weight " + fmt(this.weight(cell[0], cell[1]), 3) + (d.renormalised ? " (renormalised without [CLS]/[SEP])" : "");
};

Heatmap.prototype.fillRowDetail = function () {
  var self = this, row = this.selectedRow;
  if (row === null || !this.data) { this.rowDetail.hidden = true; return; }
  var top = this.topKeys(row, 5), peak = Math.max(top[0][0], 1e-9);
  var items = top.map(function (pair) {
    var bar = el("span", { className: "weight-bar" }, [el("span", { className: "weight-bar__fill" })]);
    bar.firstChild.style.width = ((pair[0] / peak) * 100).toFixed(1) + "%";
    return el("li", {}, [el("span", { className: "heatmap__row-token", text: displayToken(self.token(pair[1])) }), bar, el("span", { className: "heatmap__row-weight", text: fmt(pair[0], 3) })]);
  });
  this.rowDetail.replaceChildren(
    el("p", { className: "heatmap__row-title", text: "“" + this.token(row) + "” (#" + this.data.shown[row] + ") attends most to:" }),
    el("ol", {}, items)
  );
  this.rowDetail.hidden = false;
};

Heatmap.prototype.fillSummary = function () {
  var self = this, d = this.data, list = this.summary.querySelector("ol");
  if (!d) return;
  var items = [];
  for (var row = 0; row < d.size; row++) {
    var top = this.topKeys(row, 3).map(function (pair) { return "“" + self.token(pair[1]) + "” " + fmt(pair[0], 2); });
    items.push(el("li", { text: "“" + this.token(row) + "” attends most to " + top.join(", ") }));
  }
  list.replaceChildren.apply(list, items);
};

Heatmap.prototype.clearReadout = function () {
  this.cursor = null;
  this.readout.textContent = READOUT_HINT;
};

