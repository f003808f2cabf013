// Quiz attempts: autosave feedback, retries, a local copy of unsaved answers, and the countdown.
// htmx posts each question's answer when it changes (hx-post on the question's fieldset); this file
// watches those requests. Every answer is also kept in localStorage until the server confirms it, so
// a lost connection or a crash loses nothing: unsaved answers are put back and sent again. Resends
// use fetch, not htmx: after a reload this file may run before htmx has set up the fieldsets, and
// an answer restored from the browser must reach the server without the learner touching it.
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
    function csrfToken() {
      try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
      catch (e) { return ""; }
    }
    function formBody(fieldset) {
      var body = new URLSearchParams();
      fieldset.querySelectorAll("input, textarea, select").forEach(function (input) {
        if (!input.name || input.disabled) return;
        if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
        body.append(input.name, input.value);
      });
      return body;
    }
    // Resends go one at a time for the whole page (after a reload every kept answer wants to go at
    // once): a change to the answer on its way is sent when it lands, other questions wait in line.
    var sending = null;
    var waiting = [];
    function sendNext() {
      var next = waiting.shift();
      if (next && next.dataset.dirty) resend(next);
      else if (next) sendNext();
    }
    function resend(fieldset) {
      if (sending === fieldset) { fieldset.dataset.sendAgain = "1"; return; }
      if (sending) { if (waiting.indexOf(fieldset) === -1) waiting.push(fieldset); return; }
      sending = fieldset;
      var sentValues = JSON.stringify(fieldsOf(fieldset));
      fetch(fieldset.getAttribute("hx-post"), {
        method: "POST",
        credentials: "same-origin",
        headers: {"X-CSRFToken": csrfToken(), "HX-Request": "true"},
        body: formBody(fieldset),
      }).then(function (reply) {
        return reply.text().then(function (text) { return {status: reply.status, text: text, redirect: reply.headers.get("HX-Redirect")}; });
      }).then(function (result) {
        sending = null;
        if (result.status >= 200 && result.status < 300) {
          var label = fieldset.querySelector("[data-save-status]");
          if (label) label.innerHTML = result.text;  // the server's own "Saved at <time>" fragment
          if (JSON.stringify(fieldsOf(fieldset)) === sentValues) saved(fieldset);
          else resend(fieldset);
        } else if (result.redirect) {
          window.location.assign(result.redirect);
        } else {
          refusedOrRetry(fieldset, result.status, result.text);
        }
        if (fieldset.dataset.sendAgain) { delete fieldset.dataset.sendAgain; if (fieldset.dataset.dirty) resend(fieldset); }
        sendNext();
      }, function () {
        sending = null;
        delete fieldset.dataset.sendAgain;
        scheduleRetry(fieldset);  // offline, or the server did not answer
        sendNext();
      });
    }
    function saved(fieldset) {
      markClean(fieldset);
      markAnswered(fieldset);
      var label = fieldset.querySelector("[data-save-status]");
      setStatus(label && label.textContent ? label.textContent.trim() : "Saved", "ok");
    }
    function refusedOrRetry(fieldset, code, text) {
      if (code >= 400 && code < 500 && code !== 429) {
        // Refused for good (e.g. the attempt is closed): say why instead of retrying forever.
        setStatus(text || "Not saved.", "error");
      } else {
        scheduleRetry(fieldset);
      }
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
        if (input.hasAttribute("data-unsure")) return; // "not sure" is about the answer, not one
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
      // Enter in a typed answer checks that question (where it has a Check button), not another one.
      fieldset.addEventListener("keydown", function (event) {
        var check = fieldset.querySelector("[data-check]");
        if (event.key !== "Enter" || !check || event.target.tagName !== "INPUT" || event.target.type !== "text") return;
        event.preventDefault();
        check.click();
      });
      // A Check swapped the question: the server holds its answer now; take focus to the result.
      fieldset.addEventListener("htmx:afterSwap", function (event) {
        if (event.detail.target !== fieldset) return;
        markClean(fieldset);
        markAnswered(fieldset);
        if (fieldset.querySelector("[data-check]") === null) fieldset.dataset.finished = "";
        var result = fieldset.querySelector("[data-check-result]");
        if (result) result.focus();
      });
      // Focus can drop to the page after the swap (the focused button is gone); put it on the result
      // then, but never take it back from where the learner has already moved it.
      fieldset.addEventListener("htmx:afterSettle", function (event) {
        if (event.detail.target !== fieldset) return;
        var result = fieldset.querySelector("[data-check-result]");
        var active = document.activeElement;
        if (result && (!active || active === document.body)) result.focus();
      });
      // An autosave still waiting out its delay when a Check finished the question has nothing to save.
      fieldset.addEventListener("htmx:beforeRequest", function (event) {
        if (event.detail.elt === fieldset && "finished" in fieldset.dataset) event.preventDefault();
      });
      fieldset.addEventListener("htmx:afterRequest", function (event) {
        if (event.detail.elt !== fieldset) return;
        if (event.detail.successful) {
          saved(fieldset);
        } else {
          var xhr = event.detail.xhr;
          refusedOrRetry(fieldset, xhr ? xhr.status : 0, xhr ? xhr.responseText : "");
        }
      });
    });

    // Answers typed while offline or before a crash: put them back and send them again.
    var store = readStore();
    fieldsets.forEach(function (fieldset) {
      var saved = store[fieldset.dataset.question];
      if (saved && "finished" in fieldset.dataset) { markClean(fieldset); return; }  // checked: read-only now
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
    // A Check pressed before htmx was ready (or with scripts off) came back as a whole page at
    // #question-N: the keyboard goes to that question's result, as after an htmx Check. After the
    // load event: the browser's own scroll to the fragment clears the focus when it runs.
    var landed = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    var result = landed && landed.matches("fieldset[data-question]") ? landed.querySelector("[data-check-result]") : null;
    if (result && result.textContent.trim()) {
      var focusResult = function () { window.setTimeout(function () { result.focus({ preventScroll: true }); }, 0); };
      if (document.readyState === "complete") focusResult();
      else window.addEventListener("load", focusResult);
    }
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

  function init() {
    var form = document.querySelector("form[data-attempt]");
    if (form) initAttempt(form);
    document.querySelectorAll("[data-deadline]").forEach(initCountdown);
  }
  // Whatever the script order: run now if the page is already parsed, else when it is.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
