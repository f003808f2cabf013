// Page behaviour that htmx does not cover: typesetting math with KaTeX (on load and after every
// htmx swap) and keeping a local copy of a lesson being edited, so a crash or a lost tab loses nothing.
(function () {
  "use strict";

  function typeset(root) {
    if (!window.renderMathInElement) return;
    var targets = Array.prototype.slice.call(root.querySelectorAll("[data-math]"));
    if (root.matches && root.matches("[data-math]")) targets.push(root);
    targets.forEach(function (element) {
      window.renderMathInElement(element, {
        delimiters: [
          { left: "\\[", right: "\\]", display: true },
          { left: "\\(", right: "\\)", display: false },
        ],
        throwOnError: false,
      });
    });
  }

  function keepDraft() {
    var source = document.getElementById("id_body_markdown");
    var status = document.getElementById("draft-status");
    if (!source || !status) return;
    var key = "attentive-draft:" + location.pathname;
    var saved = localStorage.getItem(key);
    if (saved !== null && saved !== source.value) {
      var restore = document.createElement("button");
      restore.type = "button";
      restore.className = "link-button";
      restore.textContent = "Restore your unsaved draft";
      restore.addEventListener("click", function () {
        source.value = saved;
        source.dispatchEvent(new Event("input", { bubbles: true }));
        restore.remove();
        status.textContent = "Draft restored — save to keep it.";
      });
      status.appendChild(restore);
    }
    source.addEventListener("input", function () {
      localStorage.setItem(key, source.value);
      status.textContent = "Unsaved changes (kept in this browser)";
    });
    source.form.addEventListener("submit", function () {
      localStorage.removeItem(key);
    });
  }

  // The lesson list is folded on phones (the lesson comes first) and always open on wide screens.
  function openOnWideScreens() {
    if (!window.matchMedia("(min-width: 960px)").matches) return;
    document.querySelectorAll("details[data-open-on-wide]").forEach(function (details) {
      details.open = true;
    });
  }

  // A box that scrolls sideways (long code, a wide table or formula) must be reachable with the
  // keyboard, or its hidden part is mouse-only (WCAG 2.1.1); boxes that fit stay out of the tab order.
  function scrollersFocusable(root) {
    root.querySelectorAll(".prose pre, .prose table, .prose .arithmatex").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      if (!scrolls && box.getAttribute("tabindex") === "0") box.removeAttribute("tabindex");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    openOnWideScreens();
    typeset(document);
    scrollersFocusable(document);
    keepDraft();
  });
  window.addEventListener("load", function () { scrollersFocusable(document); });
  window.addEventListener("resize", function () { scrollersFocusable(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    typeset(event.target);
    scrollersFocusable(event.target);
  });
})();
