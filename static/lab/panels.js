// The lab's other two views: the model view (6 × 12 thumbnails, one per head) and the step-by-step
// arithmetic of one head for one query token (q, every k, q·k, ÷√d_k, softmax, Σ weight × v).
import { LUT, decodeBytes, divergingColour, el, fmt } from "./heatmap.js";

var THUMB_PX = 48;

// Builds the buttons once (focus and layout survive updates), then repaints their canvases.
function renderThumbs(grid, result, current, onPick) {
  var size = result.thumbs.size, per = size * size;
  var cells = decodeBytes(result.thumbs.cells);
  if (grid.getAttribute("data-built") !== result.layers + "x" + result.heads) {
    var nodes = [el("span", { className: "thumbs__corner", "aria-hidden": "true" })];
    for (var h = 0; h < result.heads; h++) nodes.push(el("span", { className: "thumbs__col-label", "aria-hidden": "true", text: "H" + (h + 1) }));
    for (var l = 0; l < result.layers; l++) {
      nodes.push(el("span", { className: "thumbs__row-label", text: "Layer " + (l + 1) }));
      for (h = 0; h < result.heads; h++) {
        var button = el("button", { type: "button", className: "thumbs__cell", "data-layer": String(l), "data-head": String(h) }, [el("canvas", { width: String(THUMB_PX), height: String(THUMB_PX) })]);
        button.addEventListener("click", function (event) {
          var target = event.currentTarget;
          onPick(Number(target.getAttribute("data-layer")), Number(target.getAttribute("data-head")));
        });
        nodes.push(button);
      }
    }
    grid.replaceChildren.apply(grid, nodes);
    grid.setAttribute("data-built", result.layers + "x" + result.heads);
    // What the focused or hovered head does, in words, under the grid.
    var readout = grid.parentNode.querySelector("[data-lab-thumb-readout]");
    var show = function (event) {
      var button = event.target.closest(".thumbs__cell");
      if (button && readout) readout.textContent = button.getAttribute("data-description");
    };
    grid.addEventListener("mouseover", show);
    grid.addEventListener("focusin", show);
    // One tab stop for the whole grid (roving tabindex): arrows move between heads and layers,
    // Home/End to a layer's first/last head; Enter or Space opens the head (it is a button).
    grid.addEventListener("keydown", function (event) {
      var button = event.target.closest(".thumbs__cell");
      if (!button) return;
      var all = Array.prototype.slice.call(grid.querySelectorAll(".thumbs__cell"));
      var index = all.indexOf(button), heads = Number(grid.getAttribute("data-heads")), next = null;
      if (event.key === "ArrowRight") next = Math.min(all.length - 1, index + 1);
      if (event.key === "ArrowLeft") next = Math.max(0, index - 1);
      if (event.key === "ArrowDown") next = index + heads < all.length ? index + heads : index;
      if (event.key === "ArrowUp") next = index - heads >= 0 ? index - heads : index;
      if (event.key === "Home") next = index - (index % heads);
      if (event.key === "End") next = index - (index % heads) + heads - 1;
      if (next === null) return;
      event.preventDefault();
      all[index].tabIndex = -1;
      all[next].tabIndex = 0;
      all[next].focus();
    });
  }
  grid.setAttribute("data-heads", String(result.heads));
  var canvases = grid.querySelectorAll("canvas"), step = THUMB_PX / size;
  for (var index = 0; index < canvases.length; index++) {
    var ctx = canvases[index].getContext("2d");
    for (var row = 0; row < size; row++) {
      for (var col = 0; col < size; col++) {
        ctx.fillStyle = LUT[cells[index * per + row * size + col]];
        ctx.fillRect(Math.floor(col * step), Math.floor(row * step), Math.ceil(step), Math.ceil(step));
      }
    }
    var button = canvases[index].parentNode;
    var where = "Layer " + (Math.floor(index / result.heads) + 1) + ", head " + ((index % result.heads) + 1);
    var pattern = result.thumbs.labels ? result.thumbs.labels[index] : "";
    button.setAttribute("data-description", where + (pattern ? ": " + pattern : ""));
    button.setAttribute("aria-label", where + (pattern ? ": " + pattern : "") + ". Open in the head view.");
    button.setAttribute("title", where + (pattern ? ": " + pattern : ""));
    button.classList.toggle("is-current", index === current);
    if (!grid.contains(document.activeElement)) button.tabIndex = index === current ? 0 : -1; // the tab stop: the current head
    button.setAttribute("aria-current", index === current ? "true" : "false");
  }
}

function vectorStrip(values, label, scale) {
  var node = el("span", { className: "vector", role: "img", "aria-label": label + ": " + values.map(function (v) { return fmt(v, 2); }).join(", ") });
  values.forEach(function (value) {
    var cell = el("span", { className: "vector__cell", title: fmt(value, 3) });
    cell.style.background = divergingColour(value, scale);
    node.appendChild(cell);
  });
  return node;
}

function absMax(rows) {
  var top = 1e-6;
  rows.forEach(function (row) { row.forEach(function (v) { if (v !== null && Math.abs(v) > top) top = Math.abs(v); }); });
  return top;
}

// parts: {intro, q, rows, output} elements of the step panel.
function renderStep(parts, result) {
  var step = result.step, tokens = result.tokens, qi = step.query_index;
  var qkScale = absMax([step.q].concat(step.k)), vScale = absMax(step.v.concat([step.output]));
  parts.intro.replaceChildren(
    document.createTextNode("Layer " + (step.layer + 1) + ", head " + (step.head + 1) + ", query token "),
    el("strong", { text: "“" + tokens[qi] + "” (#" + qi + ")" }),
    document.createTextNode(". Each key gets the score q·k, divided by √d_k = √" + step.d_k + " ≈ " + fmt(step.sqrt_d_k, 3) + "; softmax turns the scaled scores into weights that sum to 1; the head's output for this token is the weighted sum of the value vectors.")
  );
  if (result.causal) {
    parts.intro.appendChild(el("span", { className: "step-whatif", text: " Causal what-if: keys after the query are masked (score −∞, weight 0). This model was trained without that mask, so these are not weights it ever uses." }));
  }
  parts.q.replaceChildren(
    vectorStrip(step.q, "q vector of " + tokens[qi], qkScale),
    el("code", { className: "vector__numbers", text: step.q.map(function (v) { return fmt(v, 2); }).join("  ") })
  );
  var maxWeight = Math.max.apply(null, step.weights.concat([1e-9]));
  var rows = tokens.map(function (token, j) {
    var masked = step.scaled[j] === null;
    var bar = el("span", { className: "weight-bar" }, [el("span", { className: "weight-bar__fill" })]);
    bar.firstChild.style.width = ((step.weights[j] / maxWeight) * 100).toFixed(1) + "%";
    return el("tr", { className: (j === qi ? "is-query " : "") + (masked ? "is-masked" : "") }, [
      el("th", { scope: "row", text: (j + 1) + ". " + token }),
      el("td", { className: "step-table__vector" }, [vectorStrip(step.k[j], "k vector of " + token, qkScale)]),
      el("td", { className: "num", text: masked ? "masked" : fmt(step.dots[j], 3) }),
      el("td", { className: "num", text: fmt(step.scaled[j], 3) }),
      el("td", { className: "num num--weight" }, [el("span", { text: fmt(step.weights[j], 4) }), bar]),
      el("td", { className: "step-table__vector" }, [vectorStrip(step.v[j], "v vector of " + token, vScale)]),
    ]);
  });
  parts.rows.replaceChildren.apply(parts.rows, rows);
  var sum = step.weights.reduce(function (a, b) { return a + b; }, 0);
  parts.output.replaceChildren(
    vectorStrip(step.output, "output vector", vScale),
    el("code", { className: "vector__numbers", text: step.output.map(function (v) { return fmt(v, 2); }).join("  ") }),
    el("p", { className: "meta", text: "The weights sum to " + fmt(sum, 4) + ". (This " + step.d_k + "-number output is one of " + result.heads + " heads' outputs; the layer concatenates them and projects back to " + step.d_k * result.heads + ".)" })
  );
}

export { renderThumbs, renderStep };
