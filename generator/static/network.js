/* Dossier network (Cytoscape.js): positions come from the generator (networkx spring
   layout, fixed seed), so the picture is the static SVG's. A click opens the entity. */
(function () {
  "use strict";
  var data = window.dossierNetwork, element = document.getElementById("dossier-network");
  if (!window.cytoscape || !data || !element) return;
  var root = element.getAttribute("data-root") || "";
  var colours = { person: "#1e88e5", organisation: "#8e24aa", place: "#43a047" };
  var elements = data.nodes.map(function (node) {
    return { group: "nodes", data: node, position: { x: node.x, y: node.y } };
  }).concat(data.edges.map(function (edge) {
    return { group: "edges", data: { id: edge.source + "|" + edge.target, source: edge.source, target: edge.target, weight: edge.weight } };
  }));
  element.hidden = false;
  var cy = cytoscape({
    container: element,
    elements: elements,
    layout: { name: "preset", fit: true, padding: 30 },
    style: [
      { selector: "node", style: {
        "label": "data(label)", "width": "data(size)", "height": "data(size)",
        "background-color": function (n) { return colours[n.data("type")] || "#777"; },
        "font-size": 11, "text-valign": "bottom", "text-margin-y": 3, "color": "#222",
        "text-outline-color": "#fff", "text-outline-width": 2 } },
      { selector: "edge", style: {
        "width": function (e) { return 1 + Math.log2(e.data("weight")); },
        "line-color": "#b0b0b0", "opacity": 0.8, "curve-style": "straight" } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#222" } }
    ]
  });
  cy.on("tap", "node", function (event) { window.location.href = root + event.target.data("url"); });
  cy.on("mouseover", "node", function () { element.style.cursor = "pointer"; });
  cy.on("mouseout", "node", function () { element.style.cursor = ""; });
  var fallback = document.querySelector(".dossier-network-static");
  if (fallback) fallback.hidden = true;
  element.setAttribute("data-ready", "true");
  window.dossierCy = cy;
})();
