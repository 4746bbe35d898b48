// Copy-link buttons on "My certificates". Without JS the read-only field is still selectable.
(function () {
  "use strict";
  function copy(input, status) {
    var done = function () { status.textContent = "Link copied."; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () {
        input.select(); status.textContent = "Press Ctrl+C (or ⌘C) to copy.";
      });
    } else {
      input.focus(); input.select();
      try { document.execCommand("copy"); done(); } catch (e) { status.textContent = "Press Ctrl+C (or ⌘C) to copy."; }
    }
  }
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var id = button.getAttribute("data-copy-target");
    var input = document.getElementById(id);
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (!input || !status) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { copy(input, status); });
  });
})();
