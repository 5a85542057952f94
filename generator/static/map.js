/* Dossier maps (Leaflet): the large map of /map/ and the small map of a place page.
   Data: window.dossierMap (places, longitudes already unwrapped across ±180°, optional
   tile layer), window.dossierCountries (Natural Earth outlines as GeoJSON).
   Names are set as text, never as HTML: Leaflet reads a string given to bindTooltip or
   bindPopup as HTML, so both get DOM nodes, and icons get their names as attributes.
   Keyboard (Leaflet's own, labelled here): Tab reaches the map (arrow keys pan it, + and
   − zoom), then each marker or cluster; Enter on a marker opens its popup and moves to
   the place's link in it (Enter again opens the place, Escape goes back to the marker);
   Enter on a cluster zooms in to it (or spreads it) and moves to its first place.
   Words: window.dossierWords (the catalog's, in the dossier's language; see
   generator/site/script_words.py). */
(function () {
  "use strict";
  var data = window.dossierMap, countries = window.dossierCountries;
  if (!window.L || !data) return;

  var said = window.dossierWords, words = said.words;
  var rules = new Intl.PluralRules(said.language), digits = new Intl.NumberFormat(said.language);
  function plural(key, n) {
    return said.plurals[key][rules.select(n) === "one" ? 0 : 1].replace("%(num)s", function () { return digits.format(n); });
  }
  var LIGHT = { color: "#8a8a8a", fillColor: "#e8e4d8" };
  var DARK = { color: "#5c6370", fillColor: "#2b303b" };
  var SINGLE_PLACE_ZOOM = 6, FIT_MAX_ZOOM = 9;

  function diameter(mentions) { return Math.round(10 + 6 * Math.sqrt(mentions)); }

  function link(place, root) {
    var anchor = document.createElement("a");
    anchor.href = root + place.url;
    anchor.textContent = place.name;
    anchor.className = "dossier-map-link";
    return anchor;
  }

  function label(place, root, tooltip) {  // tooltip and popup: the name, linked, and the mentions
    var box = document.createElement("span"), anchor = link(place, root);
    if (tooltip) anchor.tabIndex = -1;  // a tooltip comes and goes with the focus: the popup's link is the keyboard's
    box.appendChild(anchor);
    box.appendChild(document.createTextNode(" — " + plural("mentions", place.mentions)));
    return box;
  }

  function marker(place, root, current) {
    var size = diameter(place.mentions);
    var icon = L.divIcon({
      className: "dossier-marker dossier-marker--" + place.id + (current ? " dossier-marker--current" : ""),
      iconSize: [size, size], html: ""
    });
    var item = L.marker([place.lat, place.lon], { icon: icon, keyboard: true, riseOnHover: true });
    item.dossierPlace = place;
    item.on("keypress", function (event) {  // before bindPopup's own: Enter opens it
      item.dossierByKeyboard = event.originalEvent.key === "Enter";
    });
    item.on("add", function () {  // the icon is made again each time a cluster opens
      var element = item.getElement();
      if (element) element.setAttribute("aria-label", place.name + ", " + plural("mentions", place.mentions));
    });
    item.bindTooltip(label(place, root, true), { direction: "top", offset: [0, -size / 2], interactive: true });
    item.bindPopup(label(place, root));
    item.on("popupopen", function (event) { popupOpened(item, event.popup.getElement()); });
    item.on("popupclose", function () { item.dossierByKeyboard = false; });  // Enter also closes it
    return item;
  }

  // A popup opened with Enter takes the keyboard to its link; Escape there closes it and
  // goes back to the marker (Leaflet's own Escape acts only on the focused map).
  function popupOpened(item, popup) {
    var button = popup.querySelector(".leaflet-popup-close-button");
    if (button) { button.setAttribute("aria-label", words.close); button.title = words.close; }
    if (!item.dossierByKeyboard) return;
    item.dossierByKeyboard = false;
    var anchor = popup.querySelector(".dossier-map-link");
    if (anchor) anchor.focus();
    if (popup.dossierEscape) return;  // Leaflet keeps a marker's popup for its next opening
    popup.dossierEscape = true;
    popup.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      event.preventDefault();
      item.closePopup();
      var element = item.getElement();
      if (element) element.focus();
    });
  }

  // Enter on a cluster: once markercluster has zoomed in to it (or spread it), the
  // keyboard goes to the first of its places, where the cluster's icon was.
  function followClusterKeys(clusters) {
    var waiting = null;
    clusters.on("clusterkeypress", function (event) {
      if (event.originalEvent && event.originalEvent.key === "Enter") waiting = event.layer.getAllChildMarkers();
    });
    function focusFirst() {
      if (!waiting) return;
      var shown = clusters.getVisibleParent(waiting[0]), element = shown && shown.getElement();
      waiting = null;
      if (element) element.focus();
    }
    clusters.on("animationend spiderfied", focusFirst);
  }

  function clusterIcon(cluster) {  // markercluster's own icon, sized and worded here
    var count = cluster.getChildCount();
    var size = Math.round(28 + 6 * Math.log2(count));
    return L.divIcon({
      className: "dossier-cluster", iconSize: [size, size],
      html: "<span aria-hidden=\"true\">" + count + "</span><span class=\"dossier-sr\">" + plural("places", count) + "</span>"
    });
  }

  function fit(map, places) {
    var points = places.map(function (place) { return [place.lat, place.lon]; });
    if (!points.length) map.setView([20, 0], 2);
    else if (points.length === 1) map.setView(points[0], SINGLE_PLACE_ZOOM);
    else map.fitBounds(points, { padding: [32, 32], maxZoom: FIT_MAX_ZOOM });
  }

  function outlines(map, shift) {
    return L.geoJSON(countries, {
      interactive: false,
      coordsToLatLng: function (c) { return L.latLng(c[1], c[0] + shift); },
      style: { className: "dossier-country", weight: 0.8, color: LIGHT.color, fillColor: LIGHT.fillColor, fillOpacity: data.tiles ? 0 : 1 }
    }).addTo(map);
  }

  function followColourScheme(element, layers) {
    function apply() {
      var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
      var colours = dark ? DARK : LIGHT;
      element.classList.toggle("dossier-map--dark", dark);
      layers.forEach(function (layer) { layer.setStyle({ color: colours.color, fillColor: colours.fillColor }); });
    }
    apply();
    new MutationObserver(apply).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  function describeKeys(element) {  // the large map's keys, said under it
    var help = document.createElement("p");
    help.className = "dossier-map-help";
    help.id = element.id + "-help";
    help.textContent = words.mapHelp;
    var after = element.closest(".dossier-map-layout") || element;  // under the map and its list
    after.parentNode.insertBefore(help, after.nextSibling);
    element.setAttribute("aria-describedby", help.id);
  }

  function draw(element) {
    var root = element.getAttribute("data-root") || "";
    var focus = element.getAttribute("data-focus");
    element.textContent = "";
    element.setAttribute("aria-label", words.map);
    var map = L.map(element, { attributionControl: true, zoomControl: false, zoomSnap: 0.25, minZoom: 1, maxZoom: 18 });
    L.control.zoom({ zoomInTitle: words.zoomIn, zoomOutTitle: words.zoomOut }).addTo(map);
    map.attributionControl.setPrefix(false);
    var current = null;
    data.places.forEach(function (place) { if (place.id === focus) current = place; });
    if (focus) {  // the view comes first: Leaflet draws vector layers in it
      var lat = parseFloat(element.getAttribute("data-lat")), lon = parseFloat(element.getAttribute("data-lon"));
      map.setView(current ? [current.lat, current.lon] : [lat, lon], 5);
    } else {
      fit(map, data.places);
    }
    if (data.tiles) {
      L.tileLayer(data.tiles, { attribution: data.attribution || "", maxZoom: 18 }).addTo(map);
    }
    var layers = [];
    if (countries) {
      layers.push(outlines(map, 0));
      var east = data.places.some(function (place) { return place.lon > 180; });
      if (east) layers.push(outlines(map, 360));  // the copy that unwrapped places sit on
      map.attributionControl.addAttribution(words.outlines);
    }
    followColourScheme(element, layers);
    var clusters = L.markerClusterGroup({
      maxClusterRadius: 36, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
      iconCreateFunction: clusterIcon
    });
    data.places.forEach(function (place) {
      var item = marker(place, root, place.id === focus);
      (place.id === focus ? map : clusters).addLayer(item);  // the page's own place stays in view
    });
    map.addLayer(clusters);
    followClusterKeys(clusters);
    if (element.classList.contains("dossier-map--large")) describeKeys(element);
    element.setAttribute("data-ready", "true");
    element.dossierMap = map;
    element.dossierClusters = clusters;
  }

  document.querySelectorAll(".dossier-map").forEach(draw);
})();
