// The layer and head pickers (<select>s of 1-based numbers, 0-based values) shared by the lab
// page and the lesson widgets.
import { el } from "./dom.js";

function optionList(select, count, selected) {
  var options = [];
  for (var i = 0; i < count; i++) options.push(el("option", { value: String(i), text: String(i + 1) }));
  select.replaceChildren.apply(select, options);
  select.value = String(selected);
}

function clampIndex(value, count, fallback) {
  var n = parseInt(value, 10);
  return isNaN(n) ? fallback : Math.max(1, Math.min(count, n)) - 1;
}

export { optionList, clampIndex };
