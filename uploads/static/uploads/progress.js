// UPL-2: the upload's page follows a running preview or commit and stops when it has ended.
// A static file, not inline script: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var box = document.getElementById("upload-progress");
  if (box) {
    var url = box.getAttribute("data-progress-url");
    var rows = document.getElementById("upload-rows");
    var failures = 0;
    var poll = function () {
      fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (data) {
          failures = 0;
          rows.textContent = data.rows;
          // Written, refused or failed (the sweep fails an upload whose process died): the
          // page, reloaded, says what happened and polls no more.
          if (data.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
        })
        .catch(function () {
          failures += 1;
          if (failures >= 20) {
            document.getElementById("upload-progress-lost").hidden = false;
          } else {
            setTimeout(poll, 3000);
          }
        });
    };
    poll();
  }
  // One click on "confirm" sends one request (the server's compare-and-set guards the rest).
  var forms = document.querySelectorAll("form[data-submit-once]");
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", function () {
      // Disabled after the submit event has started, so the submission itself still goes out.
      setTimeout(function () {
        Array.prototype.forEach.call(form.querySelectorAll("[type=submit]"), function (button) {
          button.disabled = true;
        });
      });
    });
  });
})();
