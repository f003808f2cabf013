// Remembers the section of a lesson the learner is reading, so "Continue where you left off" lands there.
// The heading that last crossed the top third of the window is posted (at most every 2 s, and once more
// when the page is left) to the lesson's position endpoint; the server keeps only ids of the lesson's own
// contents list. Loaded only for enrolled learners and authors (never for guests).
(function () {
  "use strict";

  var THROTTLE_MS = 2000;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function start() {
    var article = document.querySelector("article[data-position-url]");
    if (!article || !("IntersectionObserver" in window)) return;
    var url = article.getAttribute("data-position-url");
    var headings = Array.prototype.slice.call(
      article.querySelectorAll(".prose h1[id], .prose h2[id], .prose h3[id], .prose h4[id]")
    );
    if (!headings.length) return;
    var current = "";
    var sent = "";
    var timer = null;

    function body() {
      var form = new FormData();
      form.append("section", current);
      form.append("csrfmiddlewaretoken", csrfToken());
      return form;
    }

    function send() {
      timer = null;
      if (!current || current === sent) return;
      sent = current;
      fetch(url, { method: "POST", body: body(), credentials: "same-origin", keepalive: true }).catch(function () {
        sent = "";  // offline for a moment: try again with the next change
      });
    }

    function headingInView() {
      var line = window.innerHeight / 3;
      var found = "";
      headings.forEach(function (heading) {
        if (heading.getBoundingClientRect().top <= line) found = heading.id;
      });
      return found;
    }

    var observer = new IntersectionObserver(
      function () {
        var found = headingInView();
        if (!found || found === current) return;
        current = found;
        if (!timer) timer = setTimeout(send, THROTTLE_MS);
      },
      { rootMargin: "0px 0px -66% 0px" }
    );
    headings.forEach(function (heading) {
      observer.observe(heading);
    });
    window.addEventListener("pagehide", function () {
      if (current && current !== sent && navigator.sendBeacon) {
        sent = current;
        navigator.sendBeacon(url, body());
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
