// Zoom and focus+context for the Heatmap: ctrl+wheel and two-finger pinch zoom about the pointer,
// + and - keys zoom about the middle (heatmap-cursor.js), and the scroller follows the cursor cell.
import { Heatmap } from "./heatmap-core.js";

Heatmap.prototype.bindZoomGestures = function () {
  var self = this;
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
