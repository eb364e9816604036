// Ostoja's small client script. Loaded from our own host only (CSP: script-src 'self').
// Keep behaviour in the server; this file only improves what works without it.
(function () {
  "use strict";
  // htmx: show a translated, plain message when a request fails instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var target = document.getElementById("htmx-error");
    if (target) { target.hidden = false; }
    event.detail.shouldSwap = false;
  });
})();
