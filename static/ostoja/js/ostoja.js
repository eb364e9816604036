// Ostoja's small client script. Loaded from our own host only (CSP: script-src 'self').
// Keep behaviour in the server; this file only improves what works without it.
(function () {
  "use strict";

  // htmx: show a plain message when a request fails instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var target = document.getElementById("htmx-error");
    if (target) { target.hidden = false; }
    event.detail.shouldSwap = false;
  });

  // The live-call clock: minutes and seconds since the contact started.
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    document.querySelectorAll("[data-timer-start]").forEach(function (clock) {
      var start = Date.parse(clock.dataset.timerStart);
      var end = clock.dataset.timerEnd ? Date.parse(clock.dataset.timerEnd) : Date.now();
      var seconds = Math.max(0, Math.floor((end - start) / 1000));
      var hours = Math.floor(seconds / 3600);
      var text = pad(Math.floor(seconds / 60) % 60) + ":" + pad(seconds % 60);
      clock.textContent = hours ? hours + ":" + text : text;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 1000);
  });

  // Quick templates: add their headings to the summary, one a line, tick the purpose and
  // put the cursor after the first heading — the counsellor writes the answers; a heading
  // left unanswered stops the contact from being completed.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-template-text]");
    if (button) {
      var form = button.closest("form");
      var summary = form.querySelector("textarea[name=summary]");
      var text = button.dataset.templateText;
      var start = summary.value ? summary.value.length + 1 : 0;
      summary.value = (summary.value ? summary.value + "\n" : "") + text;
      var purpose = form.querySelector(
        "input[name=purposes][value='" + button.dataset.templatePurpose + "']");
      if (purpose) { purpose.checked = true; }
      summary.dispatchEvent(new Event("input", { bubbles: true }));
      summary.focus();
      var caret = start + text.split("\n")[0].length;
      summary.setSelectionRange(caret, caret);
      return;
    }
    // The emergency switch: urgency to "emergency", saved at once.
    var emergency = event.target.closest("[data-emergency]");
    if (emergency) {
      var urgency = emergency.closest("form").querySelector("select[name=urgency]");
      urgency.value = "emergency";
      urgency.dispatchEvent(new Event("change", { bubbles: true }));
      emergency.classList.add("active");
      emergency.setAttribute("aria-pressed", "true");
    }
  });
})();
