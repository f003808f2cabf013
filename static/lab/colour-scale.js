// The lab's colour scales, precomputed once: white → indigo for attention weights (0..1 of the
// map's max) and amber ↔ indigo for signed values (q, k, v components, difference maps).
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

export { LUT, RGBA, SIGNED_LUT, SIGNED_RGBA, colourAt, divergingColour };
