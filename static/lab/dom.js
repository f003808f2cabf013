// Small DOM and text helpers shared by the heatmap, the panels and the lab page.
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

export { el, fmt, displayToken, escapeXml, download };
