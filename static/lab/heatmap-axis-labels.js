// The token labels on the Heatmap's two axes, and the label column's width they need.
import { Heatmap } from "./heatmap-core.js";
import { displayToken } from "./dom.js";

// Marker tokens are drawn greyer than the words.
var SPECIALS = { "[CLS]": true, "[SEP]": true };

Heatmap.prototype.labelWidth = function () {
  var ctx = this.canvas.getContext("2d"), widest = 0;
  ctx.font = "12px " + getComputedStyle(document.body).fontFamily;
  for (var i = 0; i < this.data.size; i++) widest = Math.max(widest, ctx.measureText(displayToken(this.token(i))).width);
  return Math.min(110, Math.ceil(widest) + 10);
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

