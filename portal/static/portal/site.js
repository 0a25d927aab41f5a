// The worker site's few behaviours, bound here because the Content-Security-Policy runs no inline script.
"use strict";
document.addEventListener("change", function (event) {
  // A filter that applies as soon as it is chosen.
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message !== null && !window.confirm(message)) {
    event.preventDefault();
  }
});
