// The attention lab in the browser: the full lab page ([data-attention-lab]) and the compact widgets
// that ```attention blocks put into lessons ([data-attention-widget]). An ES module, loaded only by
// the pages that have one of them; configuration comes from data- attributes (strict CSP).
// The page itself is in lab-page.js, and the lab-*.js modules imported here complete it:
// model-dependent controls, the views, the compared text, the share link, the figure exports.
// Drawing lives in heatmap.js, the model and step views in panels.js, the requests in transport.js.
import { Lab } from "./lab-page.js";
import "./lab-model-controls.js";
import "./lab-views.js";
import "./lab-compare.js";
import "./lab-share-link.js";
import "./lab-figure-export.js";
import { Widget } from "./lesson-widget.js";

function start() {
  var updateUrl = document.documentElement.getAttribute("data-lab-update-url") || "/lab/update/";
  document.querySelectorAll("[data-attention-lab]").forEach(function (root) { root.lab = new Lab(root); });
  document.querySelectorAll("[data-attention-widget]").forEach(function (root) { root.widget = new Widget(root, updateUrl); });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
