// The upload page: follows a running upload until it finishes, and sends a commit only once.
// A static file because the Content-Security-Policy runs no inline script.
"use strict";
(function () {
  var box = document.getElementById("upload-progress");
  if (box) {
    var url = box.getAttribute("data-progress-url");
    (function poll() {
      fetch(url, {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          document.getElementById("upload-rows").textContent = data.rows;
          if (data.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    })();
  }
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      // Disabled after the submit event has started, so the submission itself still goes out.
      setTimeout(function () {
        form.querySelectorAll("[type=submit]").forEach(function (button) { button.disabled = true; });
      });
    });
  });
})();
