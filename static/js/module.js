// A module page without full reloads: a decision is posted with fetch and the page's live
// part (feedback, what follows, the next-section button) is swapped in. Without this file,
// or when fetch fails, the form posts as usual and the server redirects back.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) { return; }

  function swap(html, decisionId) {
    var live = document.getElementById("module-live");
    if (!live) { return false; }
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("#module-live");
    if (!fresh) { return false; }
    live.replaceWith(fresh);
    var block = document.getElementById("decision-" + decisionId);
    var feedback = block && block.querySelector("[data-feedback]");
    if (feedback) {
      feedback.focus({ preventScroll: true });
      block.scrollIntoView({ block: "start", behavior: "smooth" });
    }
    return true;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-decision-form]")) { return; }
    event.preventDefault();
    if (form.dataset.sending) { return; }
    form.dataset.sending = "1";
    var decisionId = form.closest(".decision").id.replace(/^decision-/, "");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error("answer refused: " + response.status); }
      return response.text();
    }).then(function (html) {
      if (!swap(html, decisionId)) { form.submit(); }
    }).catch(function () {
      form.submit();  // let the server answer with a whole page, as without JavaScript
    });
  });
})();
