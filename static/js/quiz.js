// Taking a quiz: save each answer as it changes, count the time down, submit once.
// Without this file every page change still saves (the form posts), and the server
// enforces the deadline whatever this timer shows.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  var status = document.querySelector("[data-save-status]");

  function say(text) {
    if (status) { status.textContent = text || ""; }
  }

  function toReview() {
    var review = form && form.dataset.review;
    if (review) { window.location.assign(review); }
  }

  // --- autosave -------------------------------------------------------------
  var sending = false;
  var again = false;

  function save() {
    if (sending) { again = true; return; }
    sending = true;
    again = false;
    say(form.dataset.msgSaving);
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error("save refused: " + response.status); }
      return response.json();
    }).then(function (result) {
      if (result.status === "late" || result.status === "submitted") { toReview(); return; }
      if (result.status === "invalid") { say((result.problems || []).join(" ")); return; }
      say(form.dataset.msgSaved);
    }).catch(function () {
      say(form.dataset.msgFailed);
    }).then(function () {
      sending = false;
      if (again) { save(); }
    });
  }

  if (form && window.fetch && window.FormData) {
    form.addEventListener("change", function (event) {
      if (event.target.closest("[data-question]")) { save(); }
    });
  }

  // --- the timer ------------------------------------------------------------
  var timer = document.getElementById("quiz-timer");

  function timeUp() {
    if (form) {
      var go = document.createElement("input");
      go.type = "hidden";
      go.name = "go";
      go.value = "submit";
      form.appendChild(go);
      form.submit();
      return;
    }
    var submitForm = document.getElementById("quiz-submit-form");
    if (submitForm && !submitForm.dataset.sent) {
      submitForm.dataset.sent = "1";
      submitForm.submit();
    }
  }

  if (timer) {
    var clock = timer.querySelector("[data-clock]");
    var total = parseInt(timer.dataset.secondsLeft, 10) || 0;
    var started = Date.now();
    var done = false;
    var tick = function () {
      var left = Math.max(0, Math.ceil(total - (Date.now() - started) / 1000));
      clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left <= 60) {
        timer.classList.remove("alert-warning");
        timer.classList.add("alert-danger");
      }
      if (left <= 0 && !done) {
        done = true;
        window.clearInterval(interval);
        timeUp();
      }
    };
    var interval = window.setInterval(tick, 250);
    tick();
  }

  // --- submit once ----------------------------------------------------------
  document.addEventListener("submit", function (event) {
    var target = event.target;
    if (!target.matches || !target.matches("form[data-submit-once]")) { return; }
    if (target.dataset.sent) { event.preventDefault(); return; }
    target.dataset.sent = "1";
  });
})();
