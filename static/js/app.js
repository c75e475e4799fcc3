// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Upload forms marked data-upload-progress show a progress bar while sending.
  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData) { return; }
      event.preventDefault();
      var box = form.querySelector(".upload-progress");
      var bar = box && box.querySelector(".progress-bar");
      var note = form.querySelector(".upload-status");
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      if (box) { box.classList.add("active"); }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable && bar) {
          var pct = Math.round(100 * e.loaded / e.total);
          bar.style.width = pct + "%";
          bar.textContent = pct + "%";
        }
      });
      xhr.upload.addEventListener("load", function () {
        if (note) { note.textContent = note.dataset.checking || ""; }
        if (bar) { bar.classList.add("progress-bar-striped", "progress-bar-animated"); }
      });
      xhr.addEventListener("load", function () {
        if (xhr.responseURL && xhr.responseURL !== (form.action || window.location.href)) {
          window.location.assign(xhr.responseURL);
          return;
        }
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () { form.submit(); });
      xhr.send(new FormData(form));
    });
  });

  // Buttons marked data-confirm ask before submitting.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.dataset.confirm)) { event.preventDefault(); }
    });
  });

  // Any form submits once: a double click never creates two records.
  document.querySelectorAll("form[method=post]:not([data-upload-progress])").forEach(function (form) {
    form.addEventListener("submit", function () {
      setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) {
          b.disabled = true;
          b.dataset.sent = "1";
        });
      }, 0);
    });
  });

  // Back to a page kept in the browser's cache: its buttons work again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("button[data-sent]").forEach(function (b) {
      b.disabled = false;
      delete b.dataset.sent;
    });
  });
})();
