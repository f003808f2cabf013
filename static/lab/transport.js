// The attention lab's transport: one POST per debounced keystroke to /lab/update/ (plain fetch, see
// docs/attention-lab.md for why not SSE or WebSocket). Latest-only: a new request aborts the one in
// flight, and the page id lets the server skip this page's older queued jobs. When the worker or
// Redis is down the answer is a 503; the text is kept and the request is retried on a gentle,
// growing timer and on the next keystroke, so the lab recovers by itself without a reload.
(function (lab) {
  "use strict";

  var DEBOUNCE_MS = 150;
  var MAX_WAIT_MS = 400; // while typing without pause, still update this often
  var RETRY_MS = [3000, 5000, 10000, 15000]; // after "worker not answering", try again on our own

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function pageId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return "p" + Math.random().toString(36).slice(2) + Date.now().toString(36);
  }

  function Updater(url, onResult, onError) {
    this.url = url;
    this.page = pageId();
    this.onResult = onResult;
    this.onError = onError;
    this.timer = null;
    this.retryTimer = null;
    this.failures = 0;
    this.controller = null;
    this.sequence = 0;
    this.pendingSince = null;
  }

  // Debounce with a ceiling: send DEBOUNCE_MS after the last keystroke, but never let a change
  // wait more than MAX_WAIT_MS while the learner keeps typing. `body` is a function, read at send
  // time, so the request always carries what is on screen then.
  Updater.prototype.schedule = function (body, immediate) {
    var self = this, now = performance.now();
    clearTimeout(this.timer);
    if (this.pendingSince === null) this.pendingSince = now;
    var delay = immediate ? 0 : Math.max(0, Math.min(DEBOUNCE_MS, this.pendingSince + MAX_WAIT_MS - now));
    this.timer = setTimeout(function () { self.pendingSince = null; self.send(body()); }, delay);
  };

  // Empty text: nothing to compute, and nothing already on its way should land afterwards.
  Updater.prototype.cancel = function () {
    clearTimeout(this.timer);
    clearTimeout(this.retryTimer);
    this.pendingSince = null;
    this.sequence += 1;
    if (this.controller) { this.controller.abort(); this.controller = null; }
  };

  Updater.prototype.retryLater = function (body) {
    var self = this, delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)];
    this.failures += 1;
    this.retryTimer = setTimeout(function () { self.send(body); }, delay);
  };

  Updater.prototype.send = function (body) {
    var self = this;
    clearTimeout(this.retryTimer);
    if (this.controller) this.controller.abort();
    var controller = (this.controller = new AbortController());
    var sequence = ++this.sequence;
    body.page = this.page;
    var started = performance.now();
    fetch(this.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
      body: JSON.stringify(body),
      signal: controller.signal,
    })
      .then(function (response) {
        return response.json().then(function (json) { return { status: response.status, json: json }; }, function () {
          return { status: response.status, json: { detail: "The server answered " + response.status + ".", code: "http" } };
        });
      })
      .then(function (reply) {
        if (sequence !== self.sequence) return; // an older answer arriving late
        self.controller = null;
        if (reply.status === 409) return; // superseded by our own newer request
        if (reply.status === 200) {
          self.failures = 0;
          reply.json.elapsed_ms = performance.now() - started;
          self.onResult(reply.json);
          return;
        }
        self.onError(reply.json, reply.status);
        if (reply.status >= 500 || reply.status === 429) self.retryLater(body);
      })
      .catch(function (error) {
        if (error.name === "AbortError" || sequence !== self.sequence) return;
        self.onError({ detail: "The lab could not reach the server. Your text is kept and the lab will try again by itself.", code: "network" }, 0);
        self.retryLater(body);
      });
  };

  lab.Updater = Updater;
})((window.AttentiveLab = window.AttentiveLab || {}));
