// Small behaviours of the console that htmx attributes do not cover. Loaded from 'self' (CSP).
(function () {
  "use strict";

  // 取消 in a transition form: empty the panel instead of reloading the page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-close-panel]");
    if (!link) return;
    var panel = link.closest("#transition-panel");
    if (!panel) return;
    event.preventDefault();
    panel.replaceChildren();
  });
})();
