/* Dossier network (Cytoscape.js): positions come from the generator (networkx spring
   layout, fixed seed), so the picture is the static SVG's.
   A reader filters by type and by a minimum of shared paragraphs, and focuses on one
   entity (a click, or Enter on the node chosen with the arrow keys): it and its
   neighbours only, until "back" (or Escape). Labels: the most mentioned nodes only, and
   the node under the pointer or the keyboard, so that they do not pile up.
   Words: window.dossierWords (the catalog's, in the dossier's language; see
   generator/site/script_words.py). */
(function () {
  "use strict";
  var data = window.dossierNetwork, element = document.getElementById("dossier-network");
  if (!window.cytoscape || !data || !element) return;
  var root = element.getAttribute("data-root") || "";
  var said = window.dossierWords, words = said.words;
  var rules = new Intl.PluralRules(said.language), digits = new Intl.NumberFormat(said.language);
  function plural(key, n, name) {
    return said.plurals[key][rules.select(n) === "one" ? 0 : 1]
      .replace("%(num)s", function () { return digits.format(n); })
      .replace("%(name)s", function () { return name; });  // a function: `$&` in a name stays
  }
  var TYPES = ["person", "organisation", "place"];  // the order of the filters
  var colours = { person: "#1e88e5", organisation: "#8e24aa", place: "#43a047" };
  var LABELLED = 15;  // the most mentioned nodes keep their label at every zoom

  var ranked = data.nodes.slice().sort(function (a, b) { return b.mentions - a.mentions || (a.id < b.id ? -1 : 1); });
  var top = {};
  ranked.slice(0, LABELLED).forEach(function (node) { top[node.id] = true; });
  var elements = data.nodes.map(function (node) {
    return { group: "nodes", data: node, position: { x: node.x, y: node.y }, classes: top[node.id] ? "top" : "" };
  }).concat(data.edges.map(function (edge) {
    return { group: "edges", data: { id: edge.source + "|" + edge.target, source: edge.source, target: edge.target, weight: edge.weight } };
  }));

  function dark() { return document.body.getAttribute("data-md-color-scheme") === "slate"; }
  function styles() {
    var ink = dark() ? "#e8e8e8" : "#222", paper = dark() ? "#1e2129" : "#fff";
    return [
      { selector: "node", style: {
        "width": "data(size)", "height": "data(size)",
        "background-color": function (n) { return colours[n.data("type")] || "#777"; },
        "font-size": 11, "text-valign": "bottom", "text-margin-y": 3, "color": ink,
        "text-outline-color": paper, "text-outline-width": 2, "label": "" } },
      { selector: "node.top, node.hover, node.current, node.focused, node.neighbour", style: { "label": "data(label)" } },
      { selector: "edge", style: {
        "width": function (e) { return 1 + Math.log2(e.data("weight")); },
        "line-color": dark() ? "#5a5f6a" : "#b0b0b0", "opacity": 0.8, "curve-style": "straight" } },
      { selector: ".hidden", style: { "display": "none" } },
      { selector: "node.current", style: { "border-width": 3, "border-color": ink, "z-index": 10 } },
      { selector: "node.focused", style: { "border-width": 4, "border-color": "#ffb300", "z-index": 10 } }
    ];
  }

  element.hidden = false;
  var cy = cytoscape({
    container: element, elements: elements, style: styles(),
    layout: { name: "preset", fit: true, padding: 30 },
    minZoom: 0.2, maxZoom: 5, wheelSensitivity: 0.3
  });

  // --- controls --------------------------------------------------------------------
  function make(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  var controls = make("div", { "class": "dossier-network-controls" });
  var types = make("fieldset", { "class": "dossier-network-types" });
  types.appendChild(make("legend", {}, words.show));
  var present = {};
  data.nodes.forEach(function (node) { present[node.type] = true; });
  TYPES.filter(function (type) { return present[type]; }).forEach(function (type) {
    var label = make("label", { "class": "dossier-legend " + type });
    var box = make("input", { type: "checkbox", value: type, checked: "" });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + words[type]));
    types.appendChild(label);
  });
  var strongest = data.edges.reduce(function (m, e) { return Math.max(m, e.weight); }, 1);
  var minimum = make("label", { "class": "dossier-network-minimum" });
  var slider = make("input", { type: "range", min: "1", max: String(strongest), value: "1", step: "1" });
  var shownWeight = make("output", {}, "1");
  minimum.appendChild(document.createTextNode(words.minimum + " "));
  minimum.appendChild(slider);
  minimum.appendChild(shownWeight);
  var status = make("p", { "class": "dossier-network-status", "aria-live": "polite" });
  var focusBar = make("p", { "class": "dossier-network-focus", hidden: "" });
  var focusName = make("span");
  var openLink = make("a", { "class": "dossier-network-open" }, words.open);
  var back = make("button", { type: "button", "class": "md-button dossier-network-back" }, words.back);
  [focusName, document.createTextNode(" · "), openLink, document.createTextNode(" "), back].forEach(function (n) { focusBar.appendChild(n); });
  [types, minimum, status, focusBar].forEach(function (n) { controls.appendChild(n); });
  element.parentNode.insertBefore(controls, element);
  var help = make("p", { "class": "dossier-network-help", id: "dossier-network-help" }, words.networkHelp);
  element.parentNode.insertBefore(help, element.nextSibling);
  element.setAttribute("tabindex", "0");
  element.setAttribute("role", "application");
  element.setAttribute("aria-label", words.network);
  element.setAttribute("aria-describedby", "dossier-network-help");

  // --- filters and focus -----------------------------------------------------------
  var focused = null, current = null;

  function filtered() {
    var kinds = {};
    types.querySelectorAll("input").forEach(function (box) { kinds[box.value] = box.checked; });
    var least = parseInt(slider.value, 10);
    shownWeight.textContent = String(least);
    cy.batch(function () {
      cy.elements().removeClass("hidden neighbour focused");
      cy.edges().forEach(function (e) { if (e.data("weight") < least) e.addClass("hidden"); });
      cy.nodes().forEach(function (n) {
        var linked = n.connectedEdges().some(function (e) { return !e.hasClass("hidden"); });
        if (!kinds[n.data("type")] || (least > 1 && !linked)) n.addClass("hidden");
      });
    });
  }

  function visible() { return cy.nodes().filter(function (n) { return !n.hasClass("hidden"); }); }

  function announce() {
    var count = visible().length;
    status.textContent = plural("shown", count);
    element.setAttribute("data-visible", String(count));
  }

  function refresh() {
    if (focused) focusOn(focused); else { filtered(); announce(); }
  }

  function focusOn(node) {
    focused = node;
    var neighbours = node.neighborhood("node");
    cy.batch(function () {
      cy.elements().addClass("hidden").removeClass("neighbour focused");
      node.removeClass("hidden").addClass("focused");
      neighbours.removeClass("hidden").addClass("neighbour");
      node.connectedEdges().removeClass("hidden");
    });
    focusName.textContent = plural("neighbours", neighbours.length, node.data("label"));
    openLink.href = root + node.data("url");
    focusBar.hidden = false;
    types.disabled = true; slider.disabled = true;
    cy.animate({ fit: { eles: node.closedNeighborhood(), padding: 40 } }, { duration: 200 });
    element.setAttribute("data-focus", node.id());
    announce();
  }

  function unfocus() {
    focused = null;
    focusBar.hidden = true;
    types.disabled = false; slider.disabled = false;
    element.removeAttribute("data-focus");
    filtered(); announce();
    cy.animate({ fit: { eles: visible(), padding: 30 } }, { duration: 200 });
  }

  function choose(node) {  // the node the keyboard is on
    if (current) current.removeClass("current");
    current = node;
    if (!node) return;
    node.addClass("current");
    status.textContent = node.data("label") + ", " + plural("mentions", node.data("mentions")) + ", " + plural("links", node.neighborhood("node").length);
    if (!node.visible() || !cy.extent()) return;
    var box = cy.extent(), p = node.position();
    if (p.x < box.x1 || p.x > box.x2 || p.y < box.y1 || p.y > box.y2) cy.center(node);
  }

  function activate(node) {
    if (focused && focused.same(node)) window.location.href = root + node.data("url");
    else focusOn(node);
  }

  types.addEventListener("change", refresh);
  slider.addEventListener("input", refresh);
  back.addEventListener("click", function () { unfocus(); element.focus(); });
  cy.on("tap", "node", function (event) { activate(event.target); });
  cy.on("mouseover", "node", function (event) { event.target.addClass("hover"); element.style.cursor = "pointer"; });
  cy.on("mouseout", "node", function (event) { event.target.removeClass("hover"); element.style.cursor = ""; });

  element.addEventListener("keydown", function (event) {
    var order = ranked.map(function (n) { return cy.getElementById(n.id); }).filter(function (n) { return !n.hasClass("hidden"); });
    var at = current ? order.indexOf(current) : -1;
    var key = event.key;
    cy.stop(true, true);  // a fit still under way ends first, so that a key acts on the view it left
    if (key === "ArrowRight" || key === "ArrowDown") choose(order[(at + 1) % order.length]);
    else if (key === "ArrowLeft" || key === "ArrowUp") choose(order[(at - 1 + order.length) % order.length]);
    else if (key === "Home") choose(order[0]);
    else if (key === "End") choose(order[order.length - 1]);
    else if (key === "Enter" && current) activate(current);
    else if (key === "Escape" && focused) unfocus();
    else if (key === "+" || key === "=") cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    else if (key === "-") cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    else return;
    event.preventDefault();
  });

  new MutationObserver(function () { cy.style(styles()); }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  var fallback = document.querySelector(".dossier-network-static");
  if (fallback) fallback.hidden = true;
  announce();
  cy.one("render", function () {  // the first frame drawn: what benchmarks/run.py times
    window.dossierNetworkPainted = performance.now();
  });
  element.setAttribute("data-ready", "true");
  window.dossierCy = cy;
})();
