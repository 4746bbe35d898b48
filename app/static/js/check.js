// "Check my post": a copy button for the safer draft (the page works without it).
(function () {
  "use strict";
  var button = document.getElementById("copy-rewrite");
  var status = document.getElementById("copy-status");
  if (!button || !navigator.clipboard) { return; }
  var source = document.getElementById(button.getAttribute("data-copy-target"));
  if (!source) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(source.textContent).then(function () {
      if (status) { status.textContent = "Copied."; }
    }, function () {
      if (status) { status.textContent = "Could not copy: select the text and copy it yourself."; }
    });
  });
})();
