// Time on task: while a lesson page is visible, tell the server once a minute.
// The server caps what each beat and each lesson can add; this file only reports presence.
(function () {
  "use strict";
  var article = document.querySelector("[data-heartbeat-url]");
  if (!article || !window.fetch) { return; }
  var url = article.getAttribute("data-heartbeat-url");
  var tokenInput = document.querySelector('input[name="csrf_token"]');
  var token = tokenInput ? tokenInput.value : "";
  var seconds = parseInt(article.getAttribute("data-heartbeat-seconds"), 10);
  var INTERVAL = (seconds > 0 ? seconds : 60) * 1000;
  var MAX_BEATS = 120; // two hours of an open tab is plenty for any lesson
  var beats = 0;
  var timer = null;

  function beat() {
    if (document.visibilityState !== "visible" || beats >= MAX_BEATS) { return; }
    beats += 1;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) { stop(); }
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data && !data.recorded) { stop(); }
    }).catch(function () { stop(); });
  }

  function start() { if (timer === null) { timer = window.setInterval(beat, INTERVAL); } }
  function stop() { if (timer !== null) { window.clearInterval(timer); timer = null; } }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { start(); } else { stop(); }
  });
  if (document.visibilityState === "visible") { start(); }
})();
