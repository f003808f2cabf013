// Exporting the Heatmap as a figure (PNG from the canvas, SVG rebuilt from the numbers) or as the
// numbers themselves (JSON).
import { Heatmap } from "./heatmap-core.js";
import { LUT } from "./colour-scale.js";
import { displayToken, escapeXml, fmt } from "./dom.js";

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

