// The transcript's print button: shown only where JavaScript can open the print dialog.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.classList.remove("d-none");
    button.addEventListener("click", function () { window.print(); });
  });
})();
