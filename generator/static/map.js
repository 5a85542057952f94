/* Dossier maps (Leaflet): the large map of /map/ and the small map of a place page.
   Data: window.dossierMap (places, optional tile layer), window.dossierCountries
   (Natural Earth outlines as GeoJSON). Names are set as text, never as HTML: Leaflet
   reads a string given to bindTooltip or bindPopup as HTML, so both get DOM nodes. */
(function () {
  "use strict";
  var data = window.dossierMap, countries = window.dossierCountries;
  if (!window.L || !data) return;

  function radius(mentions) { return 5 + 3 * Math.sqrt(mentions); }

  function tooltip(place) {
    var label = document.createElement("span");
    label.textContent = place.name;
    return label;
  }

  function popup(place, root) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = root + place.url;
    link.textContent = place.name;
    link.className = "dossier-map-link";
    box.appendChild(link);
    box.appendChild(document.createTextNode(" — " + place.mentions + " mention" + (place.mentions > 1 ? "s" : "")));
    return box;
  }

  function draw(element) {
    var root = element.getAttribute("data-root") || "";
    var focus = element.getAttribute("data-focus");
    element.textContent = "";
    var map = L.map(element, { attributionControl: true, worldCopyJump: true });
    map.attributionControl.setPrefix(false);
    var located = data.places.map(function (place) { return [place.lat, place.lon]; });
    if (focus) {  // the view comes first: Leaflet draws vector layers in it
      var lat = parseFloat(element.getAttribute("data-lat")), lon = parseFloat(element.getAttribute("data-lon"));
      map.setView([lat, lon], 5);
    } else if (located.length) {
      map.fitBounds(located, { padding: [40, 40], maxZoom: 6 });
    } else {
      map.setView([20, 0], 2);
    }
    if (data.tiles) {
      L.tileLayer(data.tiles, { attribution: data.attribution || "", maxZoom: 18 }).addTo(map);
    }
    if (countries) {
      L.geoJSON(countries, {
        interactive: false,
        style: { className: "dossier-country", color: "#8a8a8a", weight: 0.8, fillColor: "#e8e4d8", fillOpacity: data.tiles ? 0 : 1 }
      }).addTo(map);
      map.attributionControl.addAttribution("Contours : Natural Earth");
    }
    data.places.forEach(function (place) {
      var current = place.id === focus;
      var marker = L.circleMarker([place.lat, place.lon], {
        radius: radius(place.mentions),
        className: "dossier-marker dossier-marker--" + place.id + (current ? " dossier-marker--current" : ""),
        color: current ? "#b71c1c" : "#0d47a1",
        weight: current ? 3 : 1.5,
        fillColor: current ? "#e53935" : "#1e88e5",
        fillOpacity: 0.6
      }).addTo(map);
      marker.bindTooltip(tooltip(place));
      marker.bindPopup(popup(place, root));
    });
    element.setAttribute("data-ready", "true");
    element.dossierMap = map;
  }

  document.querySelectorAll(".dossier-map").forEach(draw);
})();
