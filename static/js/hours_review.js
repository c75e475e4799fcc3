// The review queue: a "tick all on this page" box (hidden without JavaScript).
(function () {
  "use strict";
  document.querySelectorAll("[data-tick-all-box]").forEach(function (box) {
    var all = box.querySelector("[data-tick-all]");
    var form = box.closest("form");
    if (!all || !form) { return; }
    var boxes = form.querySelectorAll("input[type=checkbox][name=" + all.dataset.tickAll + "]");
    box.classList.remove("d-none");
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
    });
  });
})();
