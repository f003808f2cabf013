// Drawing the Heatmap: the layout (cell size from the width and the zoom), the cells as one
// scaled bitmap, the cursor overlay, the sentence-pair blocks and the colour legend.
import { Heatmap } from "./heatmap-core.js";
import { LUT, RGBA, SIGNED_LUT, SIGNED_RGBA } from "./colour-scale.js";
import { el, fmt } from "./dom.js";

Heatmap.prototype.palette = function () {
  return this.data && this.data.signed ? { css: SIGNED_LUT, rgba: SIGNED_RGBA } : { css: LUT, rgba: RGBA };
};

Heatmap.prototype.fitCell = function () {
  var available = Math.max(200, this.figure.clientWidth || this.root.clientWidth || 600);
  if (this.labelsWidth === undefined || this.labelsFor !== this.data) { this.labelsWidth = this.labelWidth(); this.labelsFor = this.data; }
  var cell = (Math.min(available, this.options.maxWidth || 900) - this.labelsWidth - 8) / Math.max(1, this.data.size);
  return Math.max(1, Math.min(this.options.maxCell || 40, cell));
};

Heatmap.prototype.measure = function () {
  var m = this.data.size;
  // Whole pixels once cells are large (crisp grid lines); below that, the exact fraction fills the width.
  var cell = Math.max(1, this.fitCell() * this.zoom);
  if (cell >= 10) cell = Math.floor(cell);
  // Long texts: label every `stride`-th token (with its number) so that labels never overlap.
  var stride = Math.max(1, Math.ceil(12 / cell));
  var left = this.labelsWidth + (stride > 1 ? 26 : 0);
  var top = Math.min(110, Math.ceil((this.labelsWidth - 10) * 0.87) + 16) + (stride > 1 ? 20 : 0);
  return { m: m, cell: cell, left: left, top: top, labels: true, stride: stride, width: left + m * cell + 8, height: top + m * cell + 8 };
};

// The cells as one m × m bitmap (a pixel per cell, colours from the LUT), scaled up without
// smoothing: a 256-token map costs one ImageData fill and one drawImage, not 65,536 fillRects.
Heatmap.prototype.cellBitmap = function () {
  if (this.bitmap) return this.bitmap;
  var d = this.data, m = d.size, bitmap = document.createElement("canvas");
  bitmap.width = m; bitmap.height = m;
  var ctx = bitmap.getContext("2d"), image = ctx.createImageData(m, m);
  var pixels = new Uint32Array(image.data.buffer);
  var rgba = this.palette().rgba;
  for (var i = 0; i < m * m; i++) pixels[i] = rgba[d.cells[i]];
  ctx.putImageData(image, 0, 0);
  return (this.bitmap = bitmap);
};

Heatmap.prototype.draw = function () {
  if (!this.data) return;
  var L = (this.layout = this.measure());
  var ratio = window.devicePixelRatio || 1;
  [this.canvas, this.overlay].forEach(function (canvas) {
    if (canvas.width !== Math.round(L.width * ratio) || canvas.height !== Math.round(L.height * ratio)) {
      canvas.width = Math.round(L.width * ratio);
      canvas.height = Math.round(L.height * ratio);
      canvas.style.width = L.width + "px";
      canvas.style.height = L.height + "px";
    }
  });
  var ctx = this.canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, L.width, L.height);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(this.cellBitmap(), L.left, L.top, L.m * L.cell, L.m * L.cell);
  if (L.cell >= 10) { // thin white grid lines keep large cells apart
    ctx.fillStyle = "#ffffff";
    for (var k = 1; k < L.m; k++) {
      ctx.fillRect(L.left + k * L.cell - 1, L.top, 1, L.m * L.cell);
      ctx.fillRect(L.left, L.top + k * L.cell - 1, L.m * L.cell, 1);
    }
  }
  this.drawSegments(ctx, L);
  this.drawLabels(ctx, L);
  this.drawOverlay();
};

// The cursor cell, its row and column lightly banded, and the chosen row outlined.
Heatmap.prototype.drawOverlay = function () {
  var L = this.layout, ratio = window.devicePixelRatio || 1, ctx = this.overlay.getContext("2d");
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
  if (!L || !this.data) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  var m = L.m, c = L.cell;
  if (this.cursor) {
    ctx.fillStyle = "rgba(242, 165, 65, 0.16)";
    ctx.fillRect(L.left, L.top + this.cursor[0] * c, m * c, c);
    ctx.fillRect(L.left + this.cursor[1] * c, L.top, c, m * c);
  }
  if (this.selectedRow !== null) {
    ctx.strokeStyle = "#f2a541";
    ctx.lineWidth = 3;
    ctx.strokeRect(L.left - 1.5, L.top + this.selectedRow * c - 1.5, m * c + 3, c + 3);
  }
  if (this.cursor) {
    ctx.strokeStyle = "#1d1b2c";
    ctx.lineWidth = 2;
    ctx.strokeRect(L.left + this.cursor[1] * c, L.top + this.cursor[0] * c, Math.max(c, 3), Math.max(c, 3));
  }
};

// Sentence pairs: outline the A→B and B→A blocks so cross-sentence attention stands out.
Heatmap.prototype.segments = function () {
  var d = this.data;
  if (!d.sequence_ids || d.sequence_ids.indexOf(1) < 0) return null;
  function span(segment) {
    var first = -1, last = -1;
    for (var i = 0; i < d.size; i++) if (d.sequence_ids[d.shown[i]] === segment) { if (first < 0) first = i; last = i; }
    return first < 0 ? null : [first, last];
  }
  var a = span(0), b = span(1);
  return a && b ? { a: a, b: b } : null;
};

Heatmap.prototype.drawSegments = function (ctx, L) {
  var blocks = this.segments();
  if (!blocks) return;
  ctx.setLineDash([5, 3]);
  ctx.lineWidth = 2;
  ctx.strokeStyle = "#d98a1c";
  ctx.font = "bold 11px " + getComputedStyle(document.body).fontFamily;
  ctx.textBaseline = "top";
  ctx.textAlign = "left";
  [[blocks.a, blocks.b, "A→B"], [blocks.b, blocks.a, "B→A"]].forEach(function (block) {
    var rows = block[0], cols = block[1];
    var x = L.left + cols[0] * L.cell, y = L.top + rows[0] * L.cell;
    ctx.strokeRect(x, y, (cols[1] - cols[0] + 1) * L.cell, (rows[1] - rows[0] + 1) * L.cell);
    if (L.cell >= 9) {
      ctx.fillStyle = "rgba(255,255,255,.85)";
      ctx.fillRect(x + 2, y + 2, 30, 14);
      ctx.fillStyle = "#8a5300";
      ctx.fillText(block[2], x + 4, y + 3);
    }
  });
  ctx.setLineDash([]);
};

Heatmap.prototype.drawLegend = function () {
  var d = this.data;
  var bar = el("span", { className: "heatmap__legend-bar" });
  var css = this.palette().css;
  bar.style.background = "linear-gradient(90deg, " + [0, 51, 102, 153, 204, 255].map(function (i) { return css[i]; }).join(", ") + ")";
  this.legend.replaceChildren(
    el("span", { text: d.signed ? "−" + fmt(d.max, 2) : "0" }), bar, el("span", { text: (d.signed ? "+" : "") + fmt(d.max, 2) }),
    el("span", { className: "heatmap__legend-note", text: "rows = query token (who looks), columns = key token (looked at)" + (d.renormalised ? "; [CLS]/[SEP] hidden, rows renormalised to sum to 1" : "") + (this.segments() ? "; dashed blocks: A→B and B→A" : "") })
  );
};

