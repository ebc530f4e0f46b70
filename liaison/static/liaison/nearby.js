// "Stations near me": ask the browser for the location and submit it with the search form as
// lat/lng. The server sorts by distance. Without JavaScript or geolocation the button stays hidden
// and the search by name and region works on its own.
(function () {
  "use strict";
  var button = document.getElementById("nearby");
  var form = document.getElementById("station-search");
  var status = document.getElementById("nearby-status");
  if (!button || !form || !("geolocation" in navigator)) {
    return;
  }

  function setField(name, value) {
    var input = form.querySelector('input[type="hidden"][name="' + name + '"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  function say(message) {
    status.textContent = message;
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    say(button.dataset.locating);
    navigator.geolocation.getCurrentPosition(
      function (position) {
        setField("lat", position.coords.latitude.toFixed(6));
        setField("lng", position.coords.longitude.toFixed(6));
        var page = form.querySelector('input[name="page"]');
        if (page) {
          page.remove();
        }
        form.submit();
      },
      function (error) {
        button.disabled = false;
        say(error.code === error.PERMISSION_DENIED ? button.dataset.denied : button.dataset.failed);
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
    );
  });
})();
