// Shows each <time data-local-time> in the reader's own time zone. The server writes the time in UTC
// ("… UTC") as the fallback text; that text stays as the element's tooltip.
(function () {
  "use strict";

  var STYLES = {
    time: {hour: "2-digit", minute: "2-digit", timeZoneName: "short"},
    datetime: {day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short"},
  };

  function localise(element) {
    var when = new Date(element.getAttribute("datetime"));
    if (isNaN(when.getTime()) || element.dataset.localised) return;
    var options = STYLES[element.dataset.localTime] || STYLES.datetime;
    try {
      var text = new Intl.DateTimeFormat(undefined, options).format(when);
      element.title = element.textContent.trim();
      element.textContent = text;
      element.dataset.localised = "1";
    } catch (e) { /* an old browser keeps the UTC text */ }
  }

  function run() { document.querySelectorAll("time[data-local-time]").forEach(localise); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
