// The search box's keyboard shortcut: "/" (outside a field) puts the cursor in it, as in
// most tools staff know; Alt+K (the box's access key) does too.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target.closest("input, textarea, select, [contenteditable]")) { return; }
    var box = document.querySelector("[data-search]");
    if (box) {
      event.preventDefault();
      box.focus();
    }
  });
})();
