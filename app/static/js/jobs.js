// Polls a background job's status and shows the download when it is ready.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var state = box.getAttribute("data-state");
  if (state === "done" || state === "failed") return;
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("job-progress");
  var msg = document.getElementById("job-message");
  var count = document.getElementById("job-count");
  var delay = 1000;
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) {
        if (s.state === "done" || s.state === "failed") { window.location.reload(); return; }
        if (bar) { bar.value = s.percent; bar.textContent = s.percent + " %"; }
        if (msg) msg.textContent = s.message;
        if (count && s.total) count.textContent = s.done.toLocaleString() + " of " + s.total.toLocaleString();
        delay = Math.min(delay * 1.2, 5000);
        window.setTimeout(tick, delay);
      })
      .catch(function () { delay = Math.min(delay * 2, 15000); window.setTimeout(tick, delay); });
  }
  window.setTimeout(tick, delay);
})();
