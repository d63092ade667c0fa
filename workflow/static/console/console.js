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

  // An htmx answer that carries no fragment of ours (404, a server error) or none at all (the
  // network) is not swapped: say so above the page instead of doing nothing. 400/403/409 answers
  // are panels with their own message and are swapped (htmx-config in base.html).
  function flash(text) {
    var main = document.getElementById("main");
    if (!main || !text) return;
    var box = main.querySelector(".messages");
    if (!box) {
      box = document.createElement("div");
      box.className = "messages";
      box.setAttribute("role", "status");
      main.prepend(box);
    }
    var line = document.createElement("p");
    line.className = "flash flash--error";
    line.textContent = text;
    box.replaceChildren(line);
    box.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    flash(status === 404 ? document.body.dataset.error404 : document.body.dataset.error500);
  });
  document.addEventListener("htmx:sendError", function () {
    flash(document.body.dataset.errorNetwork);
  });
})();
