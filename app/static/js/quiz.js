// Live word count under free-text answers (the server still grades whatever is sent).
(function () {
  "use strict";
  var area = document.getElementById("answer-text");
  var out = document.getElementById("word-count");
  if (!area || !out) { return; }
  var min = parseInt(area.getAttribute("data-min-words") || "0", 10);
  var timer = null;
  function count() {
    var words = area.value.trim().split(/\s+/).filter(Boolean).length;
    var text = words + (words === 1 ? " word" : " words");
    if (min > 0) { text += words < min ? " (at least " + min + " needed)" : " (enough)"; }
    out.textContent = text;
    out.classList.toggle("short", min > 0 && words < min);
  }
  area.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(count, 250);
  });
  count();
})();
