// The data a Heatmap draws: built from a /lab/update/ answer (the cells arrive as base64 bytes),
// derived as a difference of two maps, or carried over from the previous map.
function decodeBytes(b64) {
  var raw = atob(b64);
  var out = new Uint8Array(raw.length);
  for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
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

// Where a position on the old map (shown coordinates) is on the new one: the same token index, if
// the token there is unchanged and still shown; null otherwise.
function carriedIndex(old, data, shownIndex) {
  if (!old || shownIndex === null || shownIndex === undefined || shownIndex >= old.size) return null;
  var tokenIndex = old.shown[shownIndex];
  if (data.tokens[tokenIndex] !== old.tokens[tokenIndex]) return null;
  var at = data.shown.indexOf(tokenIndex);
  return at >= 0 ? at : null;
}

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


export { decodeBytes, matrixData, carriedIndex, differenceData };
