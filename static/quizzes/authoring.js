// Instructor quiz pages: answer rows added in place (the "+ Add" button posts and re-renders the
// editor when JavaScript is off), one submission per form however often it is clicked, and a
// confirmation before destructive buttons. The live preview itself is plain htmx in the template.
(function () {
  "use strict";

  // "+ Add a choice": clone the empty row from <template>, renumber it, bump TOTAL_FORMS.
  function initRows(container) {
    var prefix = container.dataset.prefix;
    var list = container.querySelector("[data-row-list]");
    var template = container.querySelector("template[data-row-template]");
    var button = container.querySelector("[data-add-row]");
    var total = container.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var max = container.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    if (!list || !template || !button || !total) return;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10) || 0;
      if (max && index >= parseInt(max.value, 10)) {
        button.disabled = true;
        return;
      }
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__num__/g, String(index + 1));
      var holder = document.createElement("ol");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      list.appendChild(row);
      total.value = String(index + 1);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
      document.body.dispatchEvent(new CustomEvent("rows-changed"));
    });
  }

  // Numeric answers: show only the inputs the chosen kind uses (value ± tolerance, or min..max).
  function syncNumericRow(row) {
    var kind = row.querySelector("select[name$='-kind']");
    if (!kind) return;
    var uses = { tolerance: ["value", "tolerance"], range: ["min", "max"], any: [] }[kind.value] || [];
    ["value", "tolerance", "min", "max"].forEach(function (name) {
      var cell = row.querySelector("[data-for='" + name + "']");
      if (cell) cell.hidden = uses.indexOf(name) === -1 && !cell.classList.contains("field--error");
    });
  }

  // A double click (or an impatient second click) must not post the form twice: the first submit
  // disables the form's submit buttons until the page changes. The server also refuses a duplicate
  // question posted twice within seconds, for clients without JavaScript.
  function guardSubmit(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitting === "1") {
        event.preventDefault();
        return;
      }
      var submitter = event.submitter;
      if (submitter && submitter.name) {
        // A disabled button is not posted; carry its name/value (e.g. publish=1) in a hidden input.
        var carry = document.createElement("input");
        carry.type = "hidden";
        carry.name = submitter.name;
        carry.value = submitter.value;
        form.appendChild(carry);
      }
      form.dataset.submitting = "1";
      form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
        button.disabled = true;
      });
    });
  }

  // The question being edited is also kept in this browser until it is saved, so a crash, a closed
  // tab or a lost session loses nothing: reopening the editor offers to restore it.
  function keepDraft(form) {
    var status = form.querySelector("[data-draft-status]");
    if (!status || !window.localStorage) return;
    var key = "attentive-question-draft:" + location.pathname;
    function snapshot() {
      var values = {};
      new FormData(form).forEach(function (value, name) {
        if (name === "csrfmiddlewaretoken" || name === "based_on" || typeof value !== "string") return;
        (values[name] = values[name] || []).push(value);
      });
      return values;
    }
    function apply(values) {
      var rows = form.querySelector("[data-rows]");
      if (rows) {
        var total = rows.querySelector("input[name$='-TOTAL_FORMS']");
        var add = rows.querySelector("[data-add-row]");
        var wanted = parseInt((values[total.name] || ["0"])[0], 10);
        var guard = 50;
        while (add && parseInt(total.value, 10) < wanted && guard--) add.click();
      }
      Array.prototype.forEach.call(form.elements, function (input) {
        if (!input.name || input.name === "csrfmiddlewaretoken" || input.name === "based_on" || input.type === "file") return;
        var saved = values[input.name] || [];
        if (input.type === "checkbox" || input.type === "radio") {
          input.checked = saved.indexOf(input.value) !== -1;
        } else if (input.name in values && input.type !== "submit") {
          input.value = saved[0];
        }
      });
      form.querySelectorAll(".answer-row--numeric").forEach(syncNumericRow);
      form.dispatchEvent(new Event("change", { bubbles: true }));  // refresh the live preview
    }
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved && JSON.stringify(saved) !== JSON.stringify(snapshot())) {
      var restore = document.createElement("button");
      restore.type = "button";
      restore.className = "link-button";
      restore.textContent = "Restore your unsaved draft";
      restore.addEventListener("click", function () {
        apply(saved);
        restore.remove();
        status.textContent = "Draft restored — save to keep it.";
      });
      status.appendChild(restore);
    }
    function remember() {
      try { localStorage.setItem(key, JSON.stringify(snapshot())); } catch (e) { return; }
      status.textContent = "Unsaved changes (kept in this browser)";
    }
    form.addEventListener("input", remember);
    form.addEventListener("change", function (event) { if (event.isTrusted) remember(); });
    form.querySelectorAll("[data-discard-draft]").forEach(function (link) {
      link.addEventListener("click", function () { localStorage.removeItem(key); });
    });
    form.addEventListener("submit", function (event) {
      // "+ Add" without JavaScript posts the form but saves nothing: keep the draft then.
      if (!(event.submitter && event.submitter.name === "add_rows")) localStorage.removeItem(key);
    });
  }

  function init(root) {
    root.querySelectorAll("form[data-draft]").forEach(keepDraft);
    root.querySelectorAll("[data-rows]").forEach(initRows);
    root.querySelectorAll(".answer-row--numeric").forEach(syncNumericRow);
    root.querySelectorAll("form[method=post], form[method=POST]").forEach(function (form) {
      if (!form.dataset.guarded) {
        form.dataset.guarded = "1";
        guardSubmit(form);
      }
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[name$='-kind']")) {
      var row = target.closest(".answer-row");
      if (row) syncNumericRow(row);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Back/forward cache: a page restored after leaving it must have its buttons working again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-submitting='1']").forEach(function (form) {
      form.dataset.submitting = "";
      form.querySelectorAll("button").forEach(function (button) { button.disabled = false; });
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
