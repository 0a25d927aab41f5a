// EDU-4: the courseware player reports what the browser saw — seconds of a video played forward,
// pages of an e-book opened — to the portal, which decides what counts (courses/courseware_progress.py).
// A static file because the Content-Security-Policy runs no inline script.
"use strict";
(function () {
  var player = document.getElementById("courseware-player");
  if (!player) {
    return;
  }
  var url = player.getAttribute("data-report-url");
  var csrf = player.getAttribute("data-csrf");
  var percentText = document.getElementById("progress-percent");
  var bar = document.getElementById("progress-bar");
  var status = document.getElementById("progress-status");

  function show(data) {
    percentText.textContent = String(data.percent);
    bar.value = data.percent;
    if (data.completed) {
      status.textContent = player.getAttribute("data-done-text");
    }
  }

  function report(fields, keepalive) {
    return fetch(url, {
      method: "POST", body: new URLSearchParams(fields), credentials: "same-origin", keepalive: Boolean(keepalive),
      headers: {"X-CSRFToken": csrf}
    }).then(function (response) {
      return response.json();
    }).then(function (data) {
      if (data.percent !== undefined) {
        show(data);
      }
    }).catch(function () {
      // A lost report loses at most a few seconds of counted time; the next one carries on.
    });
  }

  var video = player.querySelector("video");
  if (video) {
    var last = null;
    var pending = 0;
    video.addEventListener("timeupdate", function () {
      var now = video.currentTime;
      if (last !== null && !video.seeking) {
        var step = now - last;
        // Playback moves well under two seconds between two timeupdate events; more is a seek.
        if (step > 0 && step < 2) {
          pending += step;
        }
      }
      last = now;
    });
    video.addEventListener("seeking", function () {
      last = null;
    });
    var flush = function (keepalive) {
      var whole = Math.floor(pending);
      if (whole < 1) {
        return;
      }
      pending -= whole;
      report({seconds: String(whole)}, keepalive);
    };
    window.setInterval(function () {
      if (!video.paused) {
        flush(false);
      }
    }, 15000);
    video.addEventListener("pause", function () { flush(false); });
    video.addEventListener("ended", function () { flush(false); });
    window.addEventListener("pagehide", function () { flush(true); });
  }

  var select = document.getElementById("book-page");
  var open = document.getElementById("book-open");
  if (select && open) {
    var base = open.getAttribute("href").split("#")[0];
    var sync = function () {
      open.setAttribute("href", base + "#page=" + select.value);
    };
    var move = function (by) {
      var index = select.selectedIndex + by;
      if (index >= 0 && index < select.options.length) {
        select.selectedIndex = index;
        sync();
      }
    };
    select.addEventListener("change", sync);
    document.getElementById("book-previous").addEventListener("click", function () { move(-1); });
    document.getElementById("book-next").addEventListener("click", function () { move(1); });
    open.addEventListener("click", function () {
      report({page: select.value});
    });
  }
})();
