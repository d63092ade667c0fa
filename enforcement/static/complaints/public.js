/* EcoLoop public pages: small enhancements; every form works without this file. */
(function () {
  "use strict";

  // Anonymous: the real-name fields are not sent for storage, so they are folded away.
  function setupAnonymous() {
    var box = document.getElementById("id_anonymous");
    var block = document.getElementById("realname");
    if (!box || !block) return;
    function sync() { block.classList.toggle("is-collapsed", box.checked); }
    box.addEventListener("change", sync);
    sync();
  }

  // "换一张": a new CAPTCHA from django-simple-captcha's refresh view.
  function setupCaptchaRefresh() {
    var button = document.getElementById("captcha-refresh");
    if (!button || !window.fetch) return;
    var field = button.closest(".pub-captcha");
    var image = field && field.querySelector("img.captcha");
    var key = field && field.querySelector("input[type=hidden]");
    var answer = field && field.querySelector("input[type=text]");
    if (!image || !key) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      fetch(button.dataset.url, { headers: { "X-Requested-With": "XMLHttpRequest" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          key.value = data.key;
          image.src = data.image_url;
          if (answer) { answer.value = ""; answer.focus(); }
        });
    });
  }

  // After a refused submission, the summary of errors is where the eye and the reader go.
  function focusSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupAnonymous();
    setupCaptchaRefresh();
    focusSummary();
  });
})();
