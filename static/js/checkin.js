// QR check-in: press the "Check in" button for the person who just scanned the code.
// Only on the check-in page, and only when the form is marked data-autosubmit (the
// server found nothing in the way); without JavaScript the button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (!form || form.dataset.sent) { return; }
  form.dataset.sent = "1";
  var button = form.querySelector("button[type=submit]");
  if (button) { button.disabled = true; }
  form.submit();
})();
