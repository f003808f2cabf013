// Quiz attempts: autosave feedback, retries, a local copy of unsaved answers, and the countdown.
// htmx posts each question's answer when it changes (hx-post on the question's fieldset); this file
// only watches those requests. Every answer is also kept in localStorage until the server confirms
// it, so a lost connection or a crash loses nothing: unsaved answers are put back and sent again.
(function () {
  "use strict";

  var RETRY_DELAYS = [1000, 2000, 4000, 8000, 15000];

  function initAttempt(form) {
    var key = "attentive-attempt:" + form.dataset.attempt;
    var status = document.getElementById("autosave-status");
    var retries = {};

    function readStore() {
      try { return JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
    }
    function writeStore(store) {
      try { localStorage.setItem(key, JSON.stringify(store)); } catch (e) { /* private mode: the server copy still counts */ }
    }
    function fieldsOf(fieldset) {
      var values = {};
      fieldset.querySelectorAll("input, textarea, select").forEach(function (input) {
        if (!input.name) return;
        if ((input.type === "radio" || input.type === "checkbox")) {
          if (!values[input.name]) values[input.name] = [];
          if (input.checked) values[input.name].push(input.value);
        } else {
          values[input.name] = [input.value];
        }
      });
      return values;
    }
    function applyFields(fieldset, values) {
      fieldset.querySelectorAll("input, textarea, select").forEach(function (input) {
        if (!(input.name in values)) return;
        if (input.type === "radio" || input.type === "checkbox") {
          input.checked = values[input.name].indexOf(input.value) !== -1;
        } else {
          input.value = values[input.name][0] || "";
        }
      });
    }
    function setStatus(text, state) {
      if (!status) return;
      status.textContent = text;
      status.dataset.state = state;
    }
    function markDirty(fieldset) {
      var store = readStore();
      store[fieldset.dataset.question] = fieldsOf(fieldset);
      writeStore(store);
      fieldset.dataset.dirty = "1";
    }
    function markClean(fieldset) {
      var store = readStore();
      delete store[fieldset.dataset.question];
      writeStore(store);
      delete fieldset.dataset.dirty;
      retries[fieldset.dataset.question] = 0;
    }
    function resend(fieldset) {
      htmx.trigger(fieldset, "quiz:resend");
    }
    function scheduleRetry(fieldset) {
      var id = fieldset.dataset.question;
      var attempt = retries[id] || 0;
      retries[id] = attempt + 1;
      var delay = RETRY_DELAYS[Math.min(attempt, RETRY_DELAYS.length - 1)];
      setStatus("Not saved — retrying…", "error");
      var label = fieldset.querySelector("[data-save-status]");
      if (label) label.textContent = "Not saved — retrying";
      window.setTimeout(function () { if (fieldset.dataset.dirty) resend(fieldset); }, delay);
    }

    // The question list in the sidebar shows which questions have a saved answer.
    function markAnswered(fieldset) {
      var answered = false;
      fieldset.querySelectorAll("input, textarea, select").forEach(function (input) {
        if (input.type === "radio" || input.type === "checkbox") { if (input.checked) answered = true; }
        else if (input.name && input.value.trim() !== "") { answered = true; }
      });
      var link = document.querySelector('[data-nav-question="' + fieldset.dataset.question + '"]');
      if (!link) return;
      link.classList.toggle("is-answered", answered);
      link.setAttribute("aria-label", "Question " + link.textContent.trim() + (answered ? ", answered" : ""));
    }

    var fieldsets = form.querySelectorAll("fieldset[data-question]");
    fieldsets.forEach(function (fieldset) {
      fieldset.addEventListener("input", function () { markDirty(fieldset); setStatus("Saving…", "pending"); });
      fieldset.addEventListener("change", function () { markDirty(fieldset); });
      fieldset.addEventListener("htmx:afterRequest", function (event) {
        if (event.detail.elt !== fieldset) return;
        if (event.detail.successful) {
          markClean(fieldset);
          markAnswered(fieldset);
          var label = fieldset.querySelector("[data-save-status]");
          setStatus(label && label.textContent ? label.textContent.trim() : "Saved", "ok");
        } else if (event.detail.xhr && event.detail.xhr.status >= 400 && event.detail.xhr.status < 500 && event.detail.xhr.status !== 429) {
          // Refused for good (e.g. the attempt is closed): say why instead of retrying forever.
          setStatus(event.detail.xhr.responseText || "Not saved.", "error");
        } else {
          scheduleRetry(fieldset);
        }
      });
    });

    // Answers typed while offline or before a crash: put them back and send them again.
    var store = readStore();
    fieldsets.forEach(function (fieldset) {
      var saved = store[fieldset.dataset.question];
      if (saved) {
        applyFields(fieldset, saved);
        fieldset.dataset.dirty = "1";
        setStatus("Sending answers kept in this browser…", "pending");
        resend(fieldset);
      }
    });
    window.addEventListener("online", function () {
      form.querySelectorAll("fieldset[data-dirty]").forEach(resend);
    });
    // Leaving for the submit page: make sure nothing is still only in the browser.
    form.addEventListener("submit", function () {
      form.querySelectorAll("fieldset[data-question]").forEach(markClean);
    });
  }

  function initCountdown(element) {
    var deadline = Date.parse(element.dataset.deadline);
    var output = element.querySelector("[data-countdown-value]");
    if (isNaN(deadline) || !output) return;
    function tick() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      output.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      element.classList.toggle("is-urgent", left <= 60);
      if (left === 0) {
        // The server submits the attempt at the deadline; reloading shows the result.
        window.setTimeout(function () { location.reload(); }, 2500);
        return;
      }
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-attempt]");
    if (form && window.htmx) initAttempt(form);
    document.querySelectorAll("[data-deadline]").forEach(initCountdown);
  });
})();
