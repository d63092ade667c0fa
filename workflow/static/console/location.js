/* "使用我当前的位置": the browser's own geolocation fills a form's coordinates (no map service).
   Shared by the public complaint form and the console's patrol finding; the button stays hidden
   where the browser has no geolocation, and every form works without this file. */
(function () {
  "use strict";

  function setupLocation() {
    var button = document.getElementById("use-location");
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    var status = document.getElementById("location-status");
    if (!button || !lat || !lon || !("geolocation" in navigator)) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      if (status) status.textContent = button.dataset.busy || "";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          lat.value = position.coords.latitude.toFixed(6);
          lon.value = position.coords.longitude.toFixed(6);
          if (status) status.textContent = "";
          button.disabled = false;
        },
        function () {
          if (status) status.textContent = button.dataset.failed || "";
          button.disabled = false;
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  document.addEventListener("DOMContentLoaded", setupLocation);
})();
