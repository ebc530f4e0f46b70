// The station map (liaison/directory/maps.py): Leaflet draws the configured tiles in the box the
// page gives, from its data- attributes; the finder marks each listed station that has a position
// (its card's data-lat/data-lng), the station page its one station. Without JavaScript the box
// stays hidden and the address text is all there is.
(function () {
  "use strict";
  var box = document.querySelector(".map[data-tiles]");
  if (!box || !window.L) {
    return;
  }
  var data = box.dataset;
  var points = [];
  if (data.lat) {
    points.push({ lat: Number(data.lat), lng: Number(data.lng), name: data.name });
  } else {
    document.querySelectorAll(".station-card[data-lat]").forEach(function (card) {
      var link = card.querySelector("h3 a");
      points.push({
        lat: Number(card.dataset.lat),
        lng: Number(card.dataset.lng),
        name: link.textContent,
        url: link.href,
      });
    });
  }
  if (!points.length) {
    return;
  }

  // The attribution is plain text from the settings; Leaflet would read it as HTML.
  function asText(text) {
    var holder = document.createElement("span");
    holder.textContent = text;
    return holder.innerHTML;
  }

  box.hidden = false;
  var map = L.map(box, { zoomControl: false, scrollWheelZoom: false });
  L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  var tileOptions = { maxZoom: 18, attribution: asText(data.attribution || "") };
  if (data.subdomains) {
    tileOptions.subdomains = data.subdomains;
  }
  L.tileLayer(data.tiles, tileOptions).addTo(map);
  // Leaflet guesses its icon's address from its stylesheet, which fails for collected
  // (hashed) static files: the page names the files.
  var icon = L.icon({
    iconUrl: data.icon,
    iconRetinaUrl: data.icon2x,
    shadowUrl: data.shadow,
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    popupAnchor: [1, -34],
    shadowSize: [41, 41],
  });
  var corners = [];
  points.forEach(function (point) {
    var marker = L.marker([point.lat, point.lng], {
      icon: icon,
      alt: point.name,
      title: point.name,
      keyboard: Boolean(point.url),
    }).addTo(map);
    if (point.url) {
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.name;
      marker.bindPopup(link);
    }
    corners.push([point.lat, point.lng]);
  });
  if (corners.length === 1) {
    map.setView(corners[0], 16);
  } else {
    map.fitBounds(corners, { padding: [24, 24], maxZoom: 16 });
  }
})();
