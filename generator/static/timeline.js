/* Dossier timeline: the dated events on a time axis (plain DOM, no library).
   Data: window.dossierTimeline (events in date order, written by the generator).
   Each event is a link placed at its date; the events of one day are stacked, and a day
   with more than MAX_DAY of them is one group that opens on demand. Overlapping cards go
   to the next free lane. Zoom: the buttons, + and − (or Ctrl + wheel); the arrow keys go
   from event to event, Home and End to the first and the last. One event at a time is in
   the Tab order (the last one chosen), so that Tab goes past the axis in one step.
   The table under it stays the page's content: readers without JavaScript read that.
   Words: window.dossierWords (the catalog's, in the dossier's language; see
   generator/site/script_words.py). */
(function () {
  "use strict";
  var data = window.dossierTimeline, element = document.getElementById("dossier-timeline");
  if (!data || !element || !data.events.length) return;
  var root = element.getAttribute("data-root") || "";
  var said = window.dossierWords, language = said.language, words = said.words;
  var rules = new Intl.PluralRules(language), digits = new Intl.NumberFormat(language);
  function plural(key, n) {
    return said.plurals[key][rules.select(n) === "one" ? 0 : 1].replace("%(num)s", function () { return digits.format(n); });
  }
  var DAY = 86400000, CARD = 150, GAP = 6, LANE = 46, MARGIN = 40, MAX_DAY = 3, STEP = 1.6;

  function day(text) { var p = text.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]) / DAY; }
  var format = {
    day: new Intl.DateTimeFormat(language, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }),
    tick: new Intl.DateTimeFormat(language, { day: "numeric", month: "short", timeZone: "UTC" }),
    month: new Intl.DateTimeFormat(language, { month: "short", year: "numeric", timeZone: "UTC" }),
    year: new Intl.DateTimeFormat(language, { year: "numeric", timeZone: "UTC" })
  };
  function label(d, unit) { return format[unit].format(new Date(d * DAY)); }

  // the days, each with its events (already in date order)
  var days = [];
  data.events.forEach(function (event) {
    var d = day(event.date), last = days[days.length - 1];
    if (last && last.day === d) last.events.push(event);
    else days.push({ day: d, events: [event], open: false });
  });
  var first = days[0].day, lastDay = days[days.length - 1].day;
  var span = Math.max(lastDay - first, 1);

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var toolbar = make("div", "dossier-timeline-tools");
  var zoomIn = make("button", "md-button", "+"), zoomOut = make("button", "md-button", "−");
  var all = make("button", "md-button", words.showAll);
  zoomIn.title = words.zoomIn; zoomIn.setAttribute("aria-label", words.zoomIn);
  zoomOut.title = words.zoomOut; zoomOut.setAttribute("aria-label", words.zoomOut);
  [zoomIn, zoomOut, all].forEach(function (b) { b.type = "button"; toolbar.appendChild(b); });
  var help = make("span", "dossier-timeline-help", words.timelineHelp);
  help.id = "dossier-timeline-help";
  toolbar.appendChild(help);
  var viewport = make("div", "dossier-timeline-viewport");
  viewport.setAttribute("role", "group");
  viewport.setAttribute("aria-label", words.timeline);
  viewport.setAttribute("aria-describedby", help.id);
  var track = make("div", "dossier-timeline-track");
  viewport.appendChild(track);
  element.textContent = "";
  element.appendChild(toolbar);
  element.appendChild(viewport);
  element.hidden = false;

  var chosen = null;  // the slug of the event that Tab reaches

  var fitted = Math.max((viewport.clientWidth - 2 * MARGIN - CARD) / span, 0.05);
  var scale = fitted;  // pixels per day

  function x(d) { return MARGIN + (d - first) * scale; }

  function ticks() {  // days, months or years, as many as leave room for their labels
    var out = [], d;
    if (scale >= 3) {
      var every = Math.ceil(90 / scale);
      for (d = first; d <= lastDay + 1; d += every) out.push(d);
      return { unit: "tick", days: out };
    }
    var months = Math.ceil(80 / (30 * scale)), unit = months > 12 ? "year" : "month";
    if (unit === "year") months = 12 * Math.ceil(months / 12);
    var start = new Date(first * DAY), y = start.getUTCFullYear(), m = unit === "month" ? start.getUTCMonth() : 0;
    for (;;) {
      d = Date.UTC(y, m, 1) / DAY;
      if (d > lastDay + 1) break;
      if (d >= first) out.push(d);
      m += months;
      y += Math.floor(m / 12); m %= 12;
    }
    return { unit: unit, days: out };
  }

  function card(event) {
    var link = make("a", "dossier-timeline-item" + (event.disputed ? " dossier-timeline-item--disputed" : ""));
    link.href = root + event.url;
    link.setAttribute("data-date", event.date);
    link.setAttribute("data-slug", event.slug);
    link.appendChild(make("span", "dossier-timeline-date", label(day(event.date), "day")));
    link.appendChild(make("span", "dossier-timeline-title", event.title));
    link.title = event.title + (event.places.length ? " — " + event.places.join(", ") : "");
    return link;
  }

  function group(entry) {
    var button = make("button", "dossier-timeline-item dossier-timeline-group");
    button.type = "button";
    button.setAttribute("data-date", entry.events[0].date);
    button.setAttribute("data-slug", entry.events[0].slug);
    button.setAttribute("aria-expanded", "false");
    button.appendChild(make("span", "dossier-timeline-date", label(entry.day, "day")));
    button.appendChild(make("span", "dossier-timeline-title", plural("events", entry.events.length)));
    button.addEventListener("click", function () { entry.open = true; draw(entry.events[0].slug); });
    return button;
  }

  function place(node, left, lanes) {  // the first lane free at `left`
    var lane = 0;
    while (lanes[lane] !== undefined && lanes[lane] > left) lane++;
    lanes[lane] = left + CARD + GAP;
    node.style.left = left + "px";
    node.style.top = (34 + lane * LANE) + "px";
    return lane;
  }

  function draw(focusSlug) {
    track.textContent = "";
    var width = x(lastDay) + CARD + MARGIN;
    track.style.width = width + "px";
    var axis = ticks();
    axis.days.forEach(function (d) {
      var tick = make("span", "dossier-timeline-tick", label(d, axis.unit));
      tick.style.left = x(d) + "px";
      tick.setAttribute("aria-hidden", "true");
      track.appendChild(tick);
    });
    var lanes = [], deepest = 0;
    days.forEach(function (entry) {
      var nodes = entry.events.length > MAX_DAY && !entry.open ? [group(entry)] : entry.events.map(card);
      nodes.forEach(function (node) {
        deepest = Math.max(deepest, place(node, x(entry.day), lanes));
        track.appendChild(node);
      });
    });
    track.style.height = (34 + (deepest + 1) * LANE + 8) + "px";
    element.setAttribute("data-scale", String(scale));
    var target = itemOf(focusSlug || chosen) || items()[0];
    rove(target);
    if (focusSlug) target.focus();
  }

  function itemOf(slug) {
    return slug ? items().filter(function (item) { return item.getAttribute("data-slug") === slug; })[0] : null;
  }

  function rove(target) {  // `target` alone in the Tab order
    items().forEach(function (item) { item.tabIndex = item === target ? 0 : -1; });
    chosen = target.getAttribute("data-slug");
  }

  function zoom(factor) {
    var active = document.activeElement;
    var slug = active && track.contains(active) ? active.getAttribute("data-slug") : null;
    var date = active && track.contains(active) ? day(active.getAttribute("data-date")) : null;
    var centre = date !== null ? date : first + (viewport.scrollLeft + viewport.clientWidth / 2 - MARGIN) / scale;
    scale = Math.min(Math.max(scale * factor, fitted), 400);
    draw(slug);
    viewport.scrollLeft = x(centre) - viewport.clientWidth / 2;
  }

  function items() { return Array.prototype.slice.call(track.querySelectorAll(".dossier-timeline-item")); }

  track.addEventListener("focusin", function (event) {
    if (items().indexOf(event.target) >= 0) rove(event.target);
  });
  zoomIn.addEventListener("click", function () { zoom(STEP); });
  zoomOut.addEventListener("click", function () { zoom(1 / STEP); });
  all.addEventListener("click", function () { scale = fitted; draw(null); viewport.scrollLeft = 0; });
  viewport.addEventListener("wheel", function (event) {
    if (!event.ctrlKey) return;
    event.preventDefault();
    zoom(event.deltaY < 0 ? STEP : 1 / STEP);
  }, { passive: false });
  viewport.addEventListener("keydown", function (event) {
    var list = items(), at = list.indexOf(document.activeElement), key = event.key;
    if (key === "+" || key === "=") zoom(STEP);
    else if (key === "-") zoom(1 / STEP);
    else if (at < 0) return;
    else if (key === "ArrowRight" || key === "ArrowDown") list[Math.min(at + 1, list.length - 1)].focus();
    else if (key === "ArrowLeft" || key === "ArrowUp") list[Math.max(at - 1, 0)].focus();
    else if (key === "Home") list[0].focus();
    else if (key === "End") list[list.length - 1].focus();
    else return;
    event.preventDefault();
  });

  draw(null);
  element.setAttribute("data-ready", "true");
})();
