// Quick exit (GOV.UK "Exit this page", SECURITY.md §2.6): the button, or Shift pressed three
// times with at most 5 s between presses, hides the page and replaces it in the history by
// the exit endpoint (which clears what the browser kept and goes to a neutral site).
(function () {
  "use strict";
  var presses = 0;
  var timer = null;
  function leave() {
    var link = document.getElementById("quick-exit");
    document.documentElement.className += " exiting";
    window.location.replace(link.getAttribute("href"));
  }
  document.addEventListener("DOMContentLoaded", function () {
    var link = document.getElementById("quick-exit");
    if (!link) { return; }
    link.addEventListener("click", function (event) { event.preventDefault(); leave(); });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Shift" || event.repeat) { return; }
      presses += 1;
      var status = document.getElementById("exit-status");
      if (status) { status.textContent = presses < 3 ? String(presses) + "/3" : ""; }
      clearTimeout(timer);
      timer = setTimeout(function () { presses = 0; }, 5000);
      if (presses >= 3) { leave(); }
    });
  });
  // Coming back (the page restored from the back/forward cache): show it again.
  window.addEventListener("pageshow", function () {
    document.documentElement.className = document.documentElement.className.replace(" exiting", "");
  });
})();
