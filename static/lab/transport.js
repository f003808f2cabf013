// The attention lab's transport: POSTs to /lab/update/ (plain fetch, see docs/attention-lab.md for
// why not SSE or WebSocket). Latest-only without a debounce: at most one request in flight, the
// newest text waits for its answer, and the page id lets the server skip this page's older jobs. When the worker or
// Redis is down the answer is a 503; the text is kept and the request is retried on a gentle,
// growing timer and on the next keystroke, so the lab recovers by itself without a reload.
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
  this.retryTimer = null;
  this.failures = 0;
  this.controller = null;
  this.sequence = 0;
  this.inFlight = false;
  this.waiting = null; // the newest body (a function) that arrived while a request was in flight
}

// Latest-only, no timer: send at once when nothing is in flight; otherwise keep only the newest
// request and send it the moment the answer lands. A fast worker is then never waited for, and a
// slow one gets one request at a time. `body` is a function, read at send time.
Updater.prototype.schedule = function (body) {
  if (this.inFlight) { this.waiting = body; return; }
  this.send(body());
};

// Empty text: nothing to compute, and nothing already on its way should land afterwards.
Updater.prototype.cancel = function () {
  clearTimeout(this.retryTimer);
  this.waiting = null;
  this.inFlight = false;
  this.sequence += 1;
  if (this.controller) { this.controller.abort(); this.controller = null; }
};

Updater.prototype.retryLater = function (body) {
  var self = this, delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)];
  this.failures += 1;
  this.retryTimer = setTimeout(function () { self.send(body); }, delay);
};

// The answer to the request in flight has landed (or failed): the newest waiting text goes next.
Updater.prototype.landed = function () {
  this.inFlight = false;
  this.controller = null;
  var next = this.waiting;
  this.waiting = null;
  if (next) { clearTimeout(this.retryTimer); this.send(next()); return true; }
  return false;
};

Updater.prototype.send = function (body) {
  var self = this;
  clearTimeout(this.retryTimer);
  if (this.controller) this.controller.abort();
  var controller = (this.controller = new AbortController());
  var sequence = ++this.sequence;
  this.inFlight = true;
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
      if (sequence !== self.sequence) return; // cancelled (empty text) while it was on its way
      // Paint what landed, even with a newer text waiting: the map follows the typing, one answer
      // per round trip, and the newest text is already on its way when the paint happens.
      var sentNext = self.landed();
      if (reply.status === 409) return; // superseded by our own newer request
      if (reply.status === 200) {
        self.failures = 0;
        reply.json.elapsed_ms = performance.now() - started;
        self.onResult(reply.json);
        return;
      }
      self.onError(reply.json, reply.status);
      if (!sentNext && (reply.status >= 500 || reply.status === 429)) self.retryLater(body);
    })
    .catch(function (error) {
      if (error.name === "AbortError" || sequence !== self.sequence) return;
      var sentNext = self.landed();
      self.onError({ detail: "The lab could not reach the server. Your text is kept and the lab will try again by itself.", code: "network" }, 0);
      if (!sentNext) self.retryLater(body);
    });
};

export { Updater };
