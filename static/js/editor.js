// The module editor's live preview: progressive enhancement of the Preview button.
// The server renders the preview with the learner page's own (sanitising) code.
(function () {
  "use strict";

  var source = document.querySelector("textarea[data-preview-url]");
  var preview = document.getElementById("module-preview");
  var problems = document.getElementById("problems");
  if (!source || !preview || !problems || !window.fetch || !window.FormData) { return; }
  var form = source.form;
  var token = form.querySelector("input[name=csrf_token]");
  var slugInput = form.querySelector("input[name=slug]");
  var status = document.querySelector(".preview-status");
  var timer = null;
  var sent = 0;

  function showProblems(list) {
    var ul = problems.querySelector("ul");
    var title = problems.querySelector(".problems-title");
    ul.textContent = "";
    list.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      ul.appendChild(li);
    });
    if (title && title.dataset.live) { title.textContent = title.dataset.live; }
    problems.classList.toggle("d-none", list.length === 0);
  }

  function refresh() {
    var body = new FormData();
    var ticket = ++sent;
    body.append("source", source.value);
    body.append("slug", slugInput ? slugInput.value : (source.dataset.slug || ""));
    fetch(source.dataset.previewUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (data) {
      if (ticket !== sent) { return; }  // a newer request is on its way
      showProblems(data.problems || []);
      // on problems keep the last good preview in sight
      if (data.html) { preview.innerHTML = data.html; }
      if (status) { status.textContent = ""; }
    }).catch(function () {
      if (status) { status.textContent = "⚠"; }
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 600);
  }

  source.addEventListener("input", schedule);
  if (slugInput) { slugInput.addEventListener("input", schedule); }
  refresh();
})();
