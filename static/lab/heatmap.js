// The attention lab's drawing layer: the colour scale, a few DOM helpers and the Heatmap component
// (an n × n map on a <canvas> with token labels on both axes, keyboard cursor, row highlight, a
// row-detail panel, a text alternative, and PNG/SVG export). Shared by the lab page and the lesson
// widgets as an ES module; no inline script anywhere (strict CSP).
var SPECIALS = { "[CLS]": true, "[SEP]": true };

// ------------------------------------------------------------------ colour scale (white → indigo)
var STOPS = [
  [0.0, [255, 255, 255]],
  [0.2, [238, 235, 253]],
  [0.45, [184, 174, 245]],
  [0.7, [120, 104, 232]],
  [0.85, [91, 75, 219]],
  [1.0, [45, 31, 140]],
];
function colourAt(t) {
  for (var i = 1; i < STOPS.length; i++) {
    if (t <= STOPS[i][0]) {
      var a = STOPS[i - 1], b = STOPS[i], f = (t - a[0]) / (b[0] - a[0]);
      return [0, 1, 2].map(function (c) { return Math.round(a[1][c] + f * (b[1][c] - a[1][c])); });
    }
  }
  return STOPS[STOPS.length - 1][1];
}
// 256 precomputed fill styles: a cell's byte (0..255) indexes straight into it, no maths per cell.
var LUT = [];
var RGBA = new Uint32Array(256); // the same colours as packed pixels (little-endian ABGR) for ImageData
for (var level = 0; level < 256; level++) {
  var rgb = colourAt(level / 255);
  LUT.push("rgb(" + rgb.join(",") + ")");
  RGBA[level] = ((255 << 24) | (rgb[2] << 16) | (rgb[1] << 8) | rgb[0]) >>> 0;
}

// Diverging scale for vector components (q, k, v) and difference maps: amber for negative, indigo for positive.
function divergingRgb(value, scale) {
  var t = Math.max(-1, Math.min(1, value / (scale || 1)));
  var base = t < 0 ? [242, 165, 65] : [91, 75, 219];
  var f = Math.abs(t);
  return [0, 1, 2].map(function (c) { return Math.round(255 + f * (base[c] - 255)); });
}

function divergingColour(value, scale) {
  return "rgb(" + divergingRgb(value, scale).join(",") + ")";
}

// Signed maps (a difference A − B) as bytes: 0 = −max, 127.5 = 0, 255 = +max.
var SIGNED_LUT = [], SIGNED_RGBA = new Uint32Array(256);
for (var signed = 0; signed < 256; signed++) {
  var drgb = divergingRgb(signed / 127.5 - 1, 1);
  SIGNED_LUT.push("rgb(" + drgb.join(",") + ")");
  SIGNED_RGBA[signed] = ((255 << 24) | (drgb[2] << 16) | (drgb[1] << 8) | drgb[0]) >>> 0;
}

function decodeBytes(b64) {
  var raw = atob(b64);
  var out = new Uint8Array(raw.length);
  for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (key) {
    if (key === "text") node.textContent = attrs[key];
    else if (key === "className") node.className = attrs[key];
    else node.setAttribute(key, attrs[key]);
  });
  (children || []).forEach(function (child) { if (child) node.appendChild(child); });
  return node;
}

function fmt(value, digits) {
  if (value === null || value === undefined) return "−∞";
  return Number(value).toFixed(digits === undefined ? 3 : digits);
}

// WordPiece continuation pieces ("##ing") read better with a small joiner than with "##".
function displayToken(token) {
  return token.indexOf("##") === 0 ? "‧" + token.slice(2) : token;
}

function escapeXml(text) {
  return String(text).replace(/[<>&"]/g, function (ch) { return { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" }[ch]; });
}

function download(blob, name) {
  var link = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.appendChild(link);
  link.click();
  setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
}

// The shape the Heatmap draws, from one /lab/update/ answer.
function matrixData(result, title) {
  return {
    tokens: result.tokens,
    shown: result.shown,
    sequence_ids: result.sequence_ids,
    size: result.matrix.size,
    max: result.matrix.max,
    cells: decodeBytes(result.matrix.cells),
    title: title,
    renormalised: result.shown.length !== result.tokens.length,
  };
}

// ------------------------------------------------------------------ the heatmap (canvas)
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
  this.readout = el("p", { className: "heatmap__readout", "aria-live": "polite", text: "Hover a cell, or focus the map and use the arrow keys, to read a weight. Click a token (or press Enter) to pick its row." });
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

Heatmap.prototype.bindEvents = function () {
  var self = this;
  this.canvas.addEventListener("mousemove", function (event) {
    var cell = self.cellAt(event);
    if (cell && (!self.cursor || cell[0] !== self.cursor[0] || cell[1] !== self.cursor[1])) {
      self.cursor = cell; self.describe(cell); self.drawOverlay();
    }
  });
  // Zoom about the pointer: ctrl+wheel is also what a trackpad pinch sends.
  this.scroller.addEventListener("wheel", function (event) {
    if (!self.data || !event.ctrlKey) return;
    event.preventDefault();
    self.zoomBy(event.deltaY < 0 ? 1.25 : 0.8, event);
  }, { passive: false });
  var pointers = {}, pinchFrom = null;
  this.canvas.addEventListener("pointerdown", function (event) { pointers[event.pointerId] = event; });
  this.canvas.addEventListener("pointermove", function (event) {
    if (!(event.pointerId in pointers)) return;
    pointers[event.pointerId] = event;
    var both = Object.keys(pointers).map(function (id) { return pointers[id]; });
    if (both.length !== 2) return;
    var distance = Math.hypot(both[0].clientX - both[1].clientX, both[0].clientY - both[1].clientY);
    if (pinchFrom && Math.abs(distance / pinchFrom - 1) > 0.08) { self.zoomBy(distance / pinchFrom); pinchFrom = distance; }
    else if (!pinchFrom) pinchFrom = distance;
  });
  ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
    self.canvas.addEventListener(name, function (event) { delete pointers[event.pointerId]; pinchFrom = null; });
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

Heatmap.prototype.weight = function (row, col) {
  var d = this.data, level = d.cells[row * d.size + col] / 255;
  return d.signed ? (level * 2 - 1) * d.max : level * d.max;
};

Heatmap.prototype.palette = function () {
  return this.data && this.data.signed ? { css: SIGNED_LUT, rgba: SIGNED_RGBA } : { css: LUT, rgba: RGBA };
};

Heatmap.prototype.token = function (shownIndex) {
  return this.data.tokens[this.data.shown[shownIndex]];
};

Heatmap.prototype.describe = function (cell) {
  var d = this.data;
  this.readout.textContent = "Query “" + this.token(cell[0]) + "” (#" + d.shown[cell[0]] + ") → key “" + this.token(cell[1]) + "” (#" + d.shown[cell[1]] + "): weight " + fmt(this.weight(cell[0], cell[1]), 3) + (d.renormalised ? " (renormalised without [CLS]/[SEP])" : "");
};

// The strongest keys of one row, largest first: [[weight, col], …].
Heatmap.prototype.topKeys = function (row, count) {
  var pairs = [];
  for (var col = 0; col < this.data.size; col++) pairs.push([this.weight(row, col), col]);
  pairs.sort(function (a, b) { return b[0] - a[0]; });
  return pairs.slice(0, count);
};

// Where a position on the old map (shown coordinates) is on the new one: the same token index, if
// the token there is unchanged and still shown; null otherwise.
function carriedIndex(old, data, shownIndex) {
  if (!old || shownIndex === null || shownIndex === undefined || shownIndex >= old.size) return null;
  var tokenIndex = old.shown[shownIndex];
  if (data.tokens[tokenIndex] !== old.tokens[tokenIndex]) return null;
  var at = data.shown.indexOf(tokenIndex);
  return at >= 0 ? at : null;
}

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
  this.readout.textContent = "Hover a cell, or focus the map and use the arrow keys, to read a weight. Click a token (or press Enter) to pick its row.";
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

Heatmap.prototype.zoomBy = function (factor, event) {
  if (!this.data) return;
  var before = this.layout, zoom = Math.max(1, Math.min(this.maxZoom(), this.zoom * factor));
  if (zoom === this.zoom) return;
  // Keep the point under the pointer (or the cursor cell) where it is while the map grows.
  var rect = this.scroller.getBoundingClientRect();
  var px = event ? event.clientX - rect.left : this.scroller.clientWidth / 2;
  var py = event ? event.clientY - rect.top : this.scroller.clientHeight / 2;
  var col = (this.scroller.scrollLeft + px - before.left) / before.cell, row = (this.scroller.scrollTop + py - before.top) / before.cell;
  this.zoom = zoom;
  this.draw();
  var after = this.layout;
  this.scroller.scrollLeft = after.left + col * after.cell - px;
  this.scroller.scrollTop = after.top + row * after.cell - py;
  if (this.options.onZoom) this.options.onZoom(zoom);
};

// The canvas stays under 8192 device pixels a side (browsers refuse larger ones).
Heatmap.prototype.maxZoom = function () {
  var fit = this.fitCell();
  return Math.max(1, Math.min(80 / fit, 8000 / ((window.devicePixelRatio || 1) * (this.data.size * fit + 240))) );
};

Heatmap.prototype.setZoom = function (zoom) {
  this.zoom = Math.max(1, Number(zoom) || 1);
  if (this.data) { this.zoom = Math.min(this.zoom, this.maxZoom()); this.draw(); }
};

Heatmap.prototype.scrollToCell = function (cell) {
  var L = this.layout, s = this.scroller;
  if (!L) return;
  var x = L.left + cell[1] * L.cell, y = L.top + cell[0] * L.cell;
  if (x < s.scrollLeft + L.left || x + L.cell > s.scrollLeft + s.clientWidth) s.scrollLeft = x - s.clientWidth / 2;
  if (y < s.scrollTop + L.top || y + L.cell > s.scrollTop + s.clientHeight) s.scrollTop = y - s.clientHeight / 2;
};

Heatmap.prototype.labelWidth = function () {
  var ctx = this.canvas.getContext("2d"), widest = 0;
  ctx.font = "12px " + getComputedStyle(document.body).fontFamily;
  for (var i = 0; i < this.data.size; i++) widest = Math.max(widest, ctx.measureText(displayToken(this.token(i))).width);
  return Math.min(110, Math.ceil(widest) + 10);
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

// Token labels on both axes; on long texts every `stride`-th one, numbered ([CLS] = 0, as quizzes count).
Heatmap.prototype.drawLabels = function (ctx, L) {
  var font = "12px " + getComputedStyle(document.body).fontFamily, self = this;
  var size = Math.min(12, Math.max(9, L.cell * L.stride - 2));
  function label(i) { return (L.stride > 1 ? self.data.shown[i] + " " : "") + displayToken(self.token(i)); }
  ctx.textBaseline = "middle";
  ctx.textAlign = "right";
  for (var i = 0; i < L.m; i += L.stride) {
    var token = this.token(i);
    ctx.fillStyle = this.selectedRow === i ? "#5b4bdb" : SPECIALS[token] ? "#55526b" : "#1d1b2c";
    ctx.font = (this.selectedRow === i ? "bold " : "") + size + "px " + font.slice(5);
    ctx.fillText(label(i), L.left - 6, L.top + i * L.cell + L.cell / 2, L.left - 8);
  }
  ctx.font = size + "px " + font.slice(5);
  ctx.textAlign = "left";
  for (var j = 0; j < L.m; j += L.stride) {
    ctx.save();
    ctx.translate(L.left + j * L.cell + L.cell / 2, L.top - 6);
    ctx.rotate(-Math.PI / 3);
    ctx.fillStyle = SPECIALS[this.token(j)] ? "#55526b" : "#1d1b2c";
    ctx.fillText(label(j), 0, 0, 130);
    ctx.restore();
  }
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

// ------------------------------------------------------------------ exports (figures)
// A figure: title, the map with its token labels (never the cursor: that lives on the overlay),
// a colour bar with its scale, and a caption naming the model, layer, head and view.
var FIGURE = { title: 40, bar: 86, caption: 44 };

Heatmap.prototype.figureSize = function () {
  var L = this.layout || this.measure();
  return { L: L, width: Math.max(L.width + FIGURE.bar, 420), height: FIGURE.title + L.height + FIGURE.caption };
};

Heatmap.prototype.toPngCanvas = function (caption) {
  var f = this.figureSize(), L = f.L, ratio = window.devicePixelRatio || 1, d = this.data;
  var figure = document.createElement("canvas");
  figure.width = Math.round(f.width * ratio);
  figure.height = Math.round(f.height * ratio);
  var ctx = figure.getContext("2d"), font = getComputedStyle(document.body).fontFamily;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, f.width, f.height);
  ctx.fillStyle = "#1d1b2c";
  ctx.font = "bold 16px " + font;
  ctx.textBaseline = "middle";
  ctx.fillText(d.title, 12, FIGURE.title / 2, f.width - 24);
  ctx.drawImage(this.canvas, 0, FIGURE.title, L.width, L.height);
  var barX = L.width + 16, barTop = FIGURE.title + L.top, barHeight = Math.min(L.m * L.cell, 260);
  for (var y = 0; y < barHeight; y++) {
    ctx.fillStyle = LUT[Math.round(255 * (1 - y / Math.max(1, barHeight - 1)))];
    ctx.fillRect(barX, barTop + y, 16, 1);
  }
  ctx.strokeStyle = "#c9c6d8";
  ctx.strokeRect(barX, barTop, 16, barHeight);
  ctx.fillStyle = "#1d1b2c";
  ctx.font = "12px " + font;
  ctx.fillText(fmt(d.max, 2), barX + 22, barTop + 6);
  ctx.fillText("0", barX + 22, barTop + barHeight - 6);
  ctx.fillStyle = "#55526b";
  ctx.fillText(caption, 12, FIGURE.title + L.height + FIGURE.caption / 2, f.width - 24);
  return figure;
};

// SVG rebuilt from the numbers (crisp at any size): one rect per cell, each with its weight.
Heatmap.prototype.toSvg = function (caption) {
  var d = this.data, f = this.figureSize(), L = f.L, parts = [], top = FIGURE.title, self = this;
  parts.push('<svg xmlns="http://www.w3.org/2000/svg" width="' + f.width + '" height="' + f.height + '" font-family="sans-serif" font-size="12">');
  parts.push("<title>" + escapeXml(d.title) + "</title><desc>" + escapeXml(caption) + "</desc>");
  parts.push('<rect width="100%" height="100%" fill="#ffffff"/>');
  parts.push('<text x="12" y="' + top / 2 + '" font-size="16" font-weight="bold" dominant-baseline="middle" fill="#1d1b2c">' + escapeXml(d.title) + "</text>");
  parts.push('<g transform="translate(0,' + top + ')" shape-rendering="crispEdges">');
  for (var row = 0; row < L.m; row++) {
    for (var col = 0; col < L.m; col++) {
      parts.push('<rect x="' + (L.left + col * L.cell) + '" y="' + (L.top + row * L.cell) + '" width="' + L.cell + '" height="' + L.cell + '" fill="' + LUT[d.cells[row * L.m + col]] + '"><title>' + escapeXml(this.token(row) + " → " + this.token(col) + ": " + fmt(this.weight(row, col), 4)) + "</title></rect>");
    }
  }
  parts.push("</g>");
  var size = Math.min(12, Math.max(9, L.cell * L.stride - 2));
  function label(i) { return escapeXml((L.stride > 1 ? d.shown[i] + " " : "") + displayToken(self.token(i))); }
  for (var i = 0; i < L.m; i += L.stride) {
    parts.push('<text x="' + (L.left - 6) + '" y="' + (top + L.top + i * L.cell + L.cell / 2) + '" font-size="' + size + '" text-anchor="end" dominant-baseline="middle">' + label(i) + "</text>");
    var x = L.left + i * L.cell + L.cell / 2, y = top + L.top - 6;
    parts.push('<text font-size="' + size + '" transform="translate(' + x + "," + y + ') rotate(-60)">' + label(i) + "</text>");
  }
  var barX = L.width + 16, barTop = top + L.top, barHeight = Math.min(L.m * L.cell, 260);
  parts.push('<defs><linearGradient id="scale" x1="0" y1="1" x2="0" y2="0">' + [0, 51, 102, 153, 204, 255].map(function (level) {
    return '<stop offset="' + (level / 255).toFixed(2) + '" stop-color="' + LUT[level] + '"/>';
  }).join("") + "</linearGradient></defs>");
  parts.push('<rect x="' + barX + '" y="' + barTop + '" width="16" height="' + barHeight + '" fill="url(#scale)" stroke="#c9c6d8"/>');
  parts.push('<text x="' + (barX + 22) + '" y="' + (barTop + 6) + '" dominant-baseline="middle">' + fmt(d.max, 2) + "</text>");
  parts.push('<text x="' + (barX + 22) + '" y="' + (barTop + barHeight - 6) + '" dominant-baseline="middle">0</text>');
  parts.push('<text x="12" y="' + (top + L.height + FIGURE.caption / 2) + '" fill="#55526b" dominant-baseline="middle">' + escapeXml(caption) + "</text>");
  parts.push("</svg>");
  return parts.join("");
};

// The shown matrix as numbers (the quantised values the map draws, scaled back to weights).
Heatmap.prototype.toJson = function (caption) {
  var d = this.data, rows = [];
  for (var row = 0; row < d.size; row++) {
    var values = [];
    for (var col = 0; col < d.size; col++) values.push(Number(this.weight(row, col).toFixed(5)));
    rows.push(values);
  }
  var tokens = d.shown.map(function (index) { return d.tokens[index]; });
  return JSON.stringify({ title: d.title, caption: caption, token_indices: d.shown, tokens: tokens, max: d.max, precision: "each weight to within max/255 (the map's colour steps)", matrix: rows });
};

// A − B for two maps of the same size (same head or view of two texts), as a signed map.
function differenceData(a, b, title) {
  var n = a.size * a.size, values = new Float32Array(n), peak = 0;
  for (var i = 0; i < n; i++) {
    values[i] = (a.cells[i] / 255) * a.max - (b.cells[i] / 255) * b.max;
    peak = Math.max(peak, Math.abs(values[i]));
  }
  var cells = new Uint8Array(n);
  for (var j = 0; j < n; j++) cells[j] = peak > 0 ? Math.round(127.5 + 127.5 * values[j] / peak) : 128;
  return { tokens: a.tokens, shown: a.shown, sequence_ids: a.sequence_ids, size: a.size, max: peak, cells: cells, title: title, renormalised: a.renormalised, signed: true };
}

export { LUT, colourAt, differenceData, divergingColour, decodeBytes, el, fmt, displayToken, download, matrixData, Heatmap };
