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
for (var level = 0; level < 256; level++) LUT.push("rgb(" + colourAt(level / 255).join(",") + ")");

// Diverging scale for vector components (q, k, v): amber for negative, indigo for positive.
function divergingColour(value, scale) {
  var t = Math.max(-1, Math.min(1, value / (scale || 1)));
  var base = t < 0 ? [242, 165, 65] : [91, 75, 219];
  var f = Math.abs(t);
  return "rgb(" + [0, 1, 2].map(function (c) { return Math.round(255 + f * (base[c] - 255)); }).join(",") + ")";
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
  this.scroller.appendChild(this.canvas);
  this.figure.appendChild(this.scroller);
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
      self.cursor = cell; self.describe(cell); self.draw();
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
    } else if (event.key === "Escape" && self.selectedRow !== null) {
      self.selectRow(self.selectedRow);
      return;
    } else {
      return;
    }
    self.cursor = cell; self.describe(cell); self.draw();
  });
  this.canvas.addEventListener("focus", function () {
    if (!self.cursor && self.data) { self.cursor = [0, 0]; self.describe(self.cursor); self.draw(); }
  });
  this.summary.addEventListener("toggle", function () { if (self.summary.open) self.fillSummary(); });
};

// Clicking the highlighted row again clears it.
Heatmap.prototype.selectRow = function (row) {
  this.selectedRow = this.selectedRow === row ? null : row;
  this.draw();
  this.fillRowDetail();
  if (this.options.onSelectRow && this.selectedRow !== null) this.options.onSelectRow(this.data.shown[row]);
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
  var d = this.data;
  return (d.cells[row * d.size + col] / 255) * d.max;
};

Heatmap.prototype.token = function (shownIndex) {
  return this.data.tokens[this.data.shown[shownIndex]];
};

Heatmap.prototype.describe = function (cell) {
  var d = this.data;
  this.readout.textContent = "Query “" + this.token(cell[0]) + "” (#" + (d.shown[cell[0]] + 1) + ") → key “" + this.token(cell[1]) + "” (#" + (d.shown[cell[1]] + 1) + "): weight " + fmt(this.weight(cell[0], cell[1]), 3) + (d.renormalised ? " (renormalised without [CLS]/[SEP])" : "");
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
  var sameTokens = this.data && this.data.size === data.size && this.data.tokens.join("\u0000") === data.tokens.join("\u0000");
  this.data = data;
  this.root.classList.add("has-data");
  if (this.cursor && (this.cursor[0] >= data.size || this.cursor[1] >= data.size)) this.cursor = null;
  if (this.selectedRow !== null && (this.selectedRow >= data.size || !sameTokens)) this.selectedRow = null;
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
    el("p", { className: "heatmap__row-title", text: "“" + this.token(row) + "” (#" + (this.data.shown[row] + 1) + ") attends most to:" }),
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

Heatmap.prototype.measure = function () {
  var d = this.data, m = d.size;
  var ctx = this.canvas.getContext("2d");
  ctx.font = "12px " + getComputedStyle(document.body).fontFamily;
  var widest = 0;
  for (var i = 0; i < m; i++) widest = Math.max(widest, ctx.measureText(displayToken(this.token(i))).width);
  // The figure's column is sized by the page, never by the canvas, so this cannot feed back.
  var available = Math.max(200, this.figure.clientWidth || this.root.clientWidth || 600);
  var label = Math.min(110, Math.ceil(widest) + 10);
  var cell = Math.floor((Math.min(available, this.options.maxWidth || 900) - label - 8) / Math.max(1, m));
  cell = Math.max(4, Math.min(this.options.maxCell || 40, cell));
  var showLabels = cell >= 9;
  var left = showLabels ? label : 8;
  var top = showLabels ? Math.min(110, Math.ceil(widest * 0.87) + 16) : 8;
  return { m: m, cell: cell, left: left, top: top, labels: showLabels, width: left + m * cell + 8, height: top + m * cell + 8 };
};

Heatmap.prototype.draw = function () {
  if (!this.data) return;
  var d = this.data, L = (this.layout = this.measure());
  var ratio = window.devicePixelRatio || 1;
  var canvas = this.canvas;
  if (canvas.width !== Math.round(L.width * ratio) || canvas.height !== Math.round(L.height * ratio)) {
    canvas.width = Math.round(L.width * ratio);
    canvas.height = Math.round(L.height * ratio);
    canvas.style.width = L.width + "px";
    canvas.style.height = L.height + "px";
  }
  var ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, L.width, L.height);
  var m = L.m, c = L.cell, gap = c >= 10 ? 1 : 0;
  for (var row = 0; row < m; row++) {
    for (var col = 0; col < m; col++) {
      ctx.fillStyle = LUT[d.cells[row * m + col]];
      ctx.fillRect(L.left + col * c, L.top + row * c, c - gap, c - gap);
    }
  }
  this.drawSegments(ctx, L);
  if (L.labels) this.drawLabels(ctx, L);
  if (this.selectedRow !== null) {
    ctx.strokeStyle = "#f2a541";
    ctx.lineWidth = 3;
    ctx.strokeRect(L.left - 1.5, L.top + this.selectedRow * c - 1.5, m * c + 2, c + 2);
  }
  if (this.cursor) {
    ctx.strokeStyle = "#1d1b2c";
    ctx.lineWidth = 2;
    ctx.strokeRect(L.left + this.cursor[1] * c, L.top + this.cursor[0] * c, c - gap, c - gap);
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

Heatmap.prototype.drawLabels = function (ctx, L) {
  ctx.font = "12px " + getComputedStyle(document.body).fontFamily;
  ctx.textBaseline = "middle";
  ctx.textAlign = "right";
  for (var i = 0; i < L.m; i++) {
    var token = this.token(i);
    ctx.fillStyle = this.selectedRow === i ? "#5b4bdb" : SPECIALS[token] ? "#55526b" : "#1d1b2c";
    ctx.font = (this.selectedRow === i ? "bold " : "") + "12px " + getComputedStyle(document.body).fontFamily;
    ctx.fillText(displayToken(token), L.left - 6, L.top + i * L.cell + L.cell / 2, L.left - 8);
  }
  ctx.font = "12px " + getComputedStyle(document.body).fontFamily;
  ctx.textAlign = "left";
  for (var j = 0; j < L.m; j++) {
    ctx.save();
    ctx.translate(L.left + j * L.cell + L.cell / 2, L.top - 6);
    ctx.rotate(-Math.PI / 3);
    ctx.fillStyle = SPECIALS[this.token(j)] ? "#55526b" : "#1d1b2c";
    ctx.fillText(displayToken(this.token(j)), 0, 0, 120);
    ctx.restore();
  }
};

Heatmap.prototype.drawLegend = function () {
  var d = this.data;
  var bar = el("span", { className: "heatmap__legend-bar" });
  bar.style.background = "linear-gradient(90deg, " + [0, 51, 102, 153, 204, 255].map(function (i) { return LUT[i]; }).join(", ") + ")";
  this.legend.replaceChildren(
    el("span", { text: "0" }), bar, el("span", { text: fmt(d.max, 2) }),
    el("span", { className: "heatmap__legend-note", text: "rows = query token (who looks), columns = key token (looked at)" + (d.renormalised ? "; [CLS]/[SEP] hidden, rows renormalised to sum to 1" : "") + (this.segments() ? "; dashed blocks: A→B and B→A" : "") })
  );
};

// Export: PNG straight from the canvas, SVG rebuilt from the numbers (crisp at any size).
Heatmap.prototype.toSvg = function () {
  var d = this.data, L = this.layout || this.measure(), parts = [];
  parts.push('<svg xmlns="http://www.w3.org/2000/svg" width="' + L.width + '" height="' + L.height + '" font-family="sans-serif" font-size="12">');
  parts.push("<title>" + escapeXml(d.title) + "</title>");
  parts.push('<rect width="100%" height="100%" fill="#ffffff"/>');
  for (var row = 0; row < L.m; row++) {
    for (var col = 0; col < L.m; col++) {
      parts.push('<rect x="' + (L.left + col * L.cell) + '" y="' + (L.top + row * L.cell) + '" width="' + L.cell + '" height="' + L.cell + '" fill="' + LUT[d.cells[row * L.m + col]] + '"><title>' + escapeXml(this.token(row) + " → " + this.token(col) + ": " + fmt(this.weight(row, col), 4)) + "</title></rect>");
    }
  }
  if (L.labels) {
    for (var i = 0; i < L.m; i++) {
      var token = escapeXml(displayToken(this.token(i)));
      parts.push('<text x="' + (L.left - 6) + '" y="' + (L.top + i * L.cell + L.cell / 2) + '" text-anchor="end" dominant-baseline="middle">' + token + "</text>");
      var x = L.left + i * L.cell + L.cell / 2, y = L.top - 6;
      parts.push('<text transform="translate(' + x + "," + y + ') rotate(-60)">' + token + "</text>");
    }
  }
  parts.push("</svg>");
  return parts.join("");
};

export { LUT, colourAt, divergingColour, decodeBytes, el, fmt, displayToken, download, matrixData, Heatmap };
