"""The map and the network in the browser: they draw, they link, nothing leaves 127.0.0.1.

The `open_page` fixture fails any test whose pages requested another host.
"""

from __future__ import annotations

import itertools
import json
import re

import pytest

from .conftest import act, screenshot, set_map_view

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLACE = "places/abou-kamal/"  # located by the sample corrections
PERSON = "people/haider-al-abadi/"


def site_data(settings, name: str, variable: str) -> dict:
    """What a data script of the built site assigns (`window.<variable> = {...};`)."""
    text = (settings.site_dir / "assets/dossier" / name).read_text(encoding="utf-8")
    return json.loads(text.removeprefix(f"window.{variable} = ").removesuffix(";\n"))


def served_from_the_site(page, seeds_url: str) -> None:
    requests = page.dossier.requests
    assert requests and all(
        url.startswith(seeds_url) or url.startswith("data:") for url in requests
    )
    assert page.dossier.errors == []


def test_map_draws_outlines_and_a_marker_per_located_place(open_page, seeds_url, seeds_site):
    _, dossier = seeds_site
    located = [p for p in dossier.entities_of("place") if p.coordinates]
    page = open_page()
    page.goto(seeds_url + "map/")
    page.wait_for_selector("#dossier-map[data-ready=true]")
    assert page.locator("#dossier-map path.dossier-country").count() > 100  # countries
    clusters = page.locator("#dossier-map .dossier-cluster span[aria-hidden]").all_inner_texts()
    markers = page.locator("#dossier-map .dossier-marker").count()
    assert markers + sum(int(n) for n in clusters) == len(located)
    assert page.locator(".leaflet-tile").count() == 0  # tiles are off by default
    unlocated = page.locator(".dossier-map-side").inner_text()
    for place in dossier.entities_of("place"):
        assert (place.name in unlocated) or place.coordinates
    shot = screenshot(page, "map")
    assert shot.stat().st_size > 20_000
    served_from_the_site(page, seeds_url)
    assert any(url.endswith("/assets/vendor/leaflet/leaflet.js") for url in page.dossier.requests)


def test_a_marker_opens_a_popup_that_links_to_the_place(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url + "map/")
    page.wait_for_selector("#dossier-map[data-ready=true]")
    # close in, so that no neighbouring marker covers it however many places are located
    set_map_view(page, [34.4506, 40.9186], 10)
    page.locator(".dossier-marker--abou-kamal").click()
    link = page.locator(".leaflet-popup a.dossier-map-link")
    assert link.inner_text() == "Abou Kamal"
    link.click()
    page.wait_for_url(f"**/{PLACE}")
    assert "Abou Kamal" in page.locator("h1").inner_text()


def test_a_place_page_has_a_small_map_centred_on_it(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url + PLACE)
    page.wait_for_selector(".dossier-map--small[data-ready=true]")
    current = page.locator(".dossier-map--small .dossier-marker--current")
    assert current.count() == 1
    centre = page.evaluate(
        "(() => { const c = document.querySelector('.dossier-map--small').dossierMap.getCenter();"
        " return [c.lat, c.lng]; })()"
    )
    assert centre == pytest.approx([34.4506, 40.9186], abs=0.01)
    served_from_the_site(page, seeds_url)


def network_of(settings) -> dict:
    return site_data(settings, "network-data.js", "dossierNetwork")


def open_network(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url + "network/")
    page.wait_for_selector("#dossier-network[data-ready=true]")
    return page


SHOWN = "window.dossierCy.nodes().filter(n => !n.hasClass('hidden')).map(n => n.id()).sort()"


def neighbours(data: dict, node: str) -> set[str]:
    ends = [(e["source"], e["target"]) for e in data["edges"]]
    return {b for a, b in ends if a == node} | {a for a, b in ends if b == node}


def test_network_draws_every_node_and_a_click_focuses_on_its_neighbours(
    open_page, seeds_url, seeds_site
):
    settings, _ = seeds_site
    data = network_of(settings)
    page = open_network(open_page, seeds_url)
    assert page.evaluate("window.dossierCy.nodes().length") == len(data["nodes"])
    assert page.evaluate("window.dossierCy.edges().length") == len(data["edges"])
    assert page.locator(".dossier-network-static").is_hidden()
    shot = screenshot(page, "network")
    assert shot.stat().st_size > 20_000
    served_from_the_site(page, seeds_url)

    node = "people/haider-al-abadi"
    box = page.locator("#dossier-network").bounding_box()
    x, y = page.evaluate(  # zoomed in on the node, so that no other covers it
        "id => { const cy = window.dossierCy, n = cy.getElementById(id);"
        " cy.zoom(3); cy.center(n); const p = n.renderedPosition(); return [p.x, p.y]; }",
        node,
    )
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_selector(f"#dossier-network[data-focus='{node}']")
    assert page.evaluate(SHOWN) == sorted(neighbours(data, node) | {node})
    focus = page.locator(".dossier-network-focus")
    label = next(n["label"] for n in data["nodes"] if n["id"] == node)
    assert f"{label} et {len(neighbours(data, node))} voisins" in focus.inner_text()
    screenshot(page, "network-focus")
    page.locator(".dossier-network-back").click()
    assert page.evaluate(SHOWN) == sorted(n["id"] for n in data["nodes"])
    act(page, "id => window.dossierCy.getElementById(id).emit('tap')", node)
    page.wait_for_selector("#dossier-network[data-focus]")
    page.locator("#dossier-network").focus()
    page.keyboard.press("Escape")
    page.wait_for_selector("#dossier-network:not([data-focus])")
    act(page, "id => window.dossierCy.getElementById(id).emit('tap')", node)
    page.locator(".dossier-network-open").click()
    page.wait_for_url(f"**/{PERSON}")
    assert "al-Abadi" in page.locator("h1").inner_text()


def test_network_filters_by_type_and_by_shared_paragraphs(open_page, seeds_url, seeds_site):
    settings, _ = seeds_site
    data = network_of(settings)
    page = open_network(open_page, seeds_url)
    everyone = sorted(n["id"] for n in data["nodes"])
    assert page.evaluate(SHOWN) == everyone
    places = page.locator(".dossier-network-types input[value=place]")
    places.uncheck()
    assert page.evaluate(SHOWN) == sorted(n["id"] for n in data["nodes"] if n["type"] != "place")
    assert page.locator("#dossier-network").get_attribute("data-visible") == str(
        len(everyone) - sum(n["type"] == "place" for n in data["nodes"])
    )
    places.check()
    strong = [e for e in data["edges"] if e["weight"] >= 2]
    assert strong, "the sample has pairs named together in two paragraphs"
    page.locator(".dossier-network-minimum input").fill("2")
    expected = sorted({e["source"] for e in strong} | {e["target"] for e in strong})
    assert page.evaluate(SHOWN) == expected
    assert len(expected) < len(everyone)
    assert "entités affichées" in page.locator(".dossier-network-status").inner_text()


def test_network_labels_only_the_top_nodes_and_the_one_under_the_pointer(
    open_page, seeds_url, seeds_site
):
    settings, _ = seeds_site
    data = network_of(settings)
    page = open_network(open_page, seeds_url)
    labelled = "window.dossierCy.nodes().filter(n => n.style('label') !== '').length"
    assert page.evaluate(labelled) == min(15, len(data["nodes"]))
    least = min(data["nodes"], key=lambda n: (n["mentions"], n["id"]))["id"]
    assert page.evaluate(f"window.dossierCy.getElementById('{least}').style('label')") == ""
    act(page, "id => window.dossierCy.getElementById(id).emit('mouseover')", least)
    assert page.evaluate(f"window.dossierCy.getElementById('{least}').style('label')") != ""


def test_network_answers_the_keyboard_in_french(open_page, seeds_url, seeds_site):
    settings, _ = seeds_site
    data = network_of(settings)
    first = max(data["nodes"], key=lambda n: (n["mentions"], [-ord(c) for c in n["id"]]))
    page = open_network(open_page, seeds_url)
    network = page.locator("#dossier-network")
    network.focus()
    page.keyboard.press("ArrowRight")
    status = page.locator(".dossier-network-status")
    assert status.inner_text().startswith(first["label"] + ", ")
    assert "mention" in status.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#dossier-network[data-focus='{first['id']}']")
    assert page.evaluate(SHOWN) == sorted(neighbours(data, first["id"]) | {first["id"]})
    page.keyboard.press("Escape")
    page.wait_for_selector("#dossier-network:not([data-focus])")
    page.wait_for_function("() => !window.dossierCy.animated()")  # the fit back to everyone
    zoom = page.evaluate("window.dossierCy.zoom()")
    page.keyboard.press("+")
    assert page.evaluate("window.dossierCy.zoom()") > zoom
    controls = page.locator(".dossier-network-controls").inner_text()
    assert "Afficher" in controls and "personnes" in controls
    assert "Show" not in controls and "people" not in controls
    assert "Flèches" in page.locator(".dossier-network-help").inner_text()


def test_network_without_javascript_is_a_linked_svg(open_page, seeds_url):
    page = open_page(java_script_enabled=False)
    page.goto(seeds_url + "network/")
    svg = page.locator(".dossier-network-static svg")
    assert svg.is_visible()
    assert page.locator("#dossier-network").is_hidden()
    screenshot(page, "network-static")
    page.locator(f".dossier-network-static a[data-id='{PERSON.rstrip('/')}']").click()
    page.wait_for_url(f"**/{PERSON}")


RELATED_ITEM = re.compile(r"^(.+) \((\w+)\) — (\d+) paragraphes? en commun$")

# Each listed entity: its name, its page's address and the paragraphs it shares.
_RELATED = """() => [...document.querySelectorAll("#entites-associees ~ ol > li")].map(li =>
  ({ text: li.innerText.trim(), href: li.querySelector("a").href }))"""
# The paragraphs an entity page quotes, or its page of all mentions when it has one.
_QUOTED_PARAGRAPHS = """() => [...document.querySelectorAll("article a[href*='/sources/']")]
  .map(a => a.href).filter(href => /#p\\d+$/.test(href))"""
_MENTIONS_IN = """ids => Object.fromEntries(ids.map(id => [id,
  [...document.querySelectorAll(`#${id} a.mention`)].map(a => a.href)]))"""


def related_entities(page) -> list[tuple[str, str, int]]:
    items = []
    for item in page.evaluate(_RELATED):
        match = RELATED_ITEM.match(item["text"])
        assert match, item["text"]
        items.append((match[1], item["href"], int(match[3])))
    return items


def quoted_paragraphs(page) -> dict[str, set[str]]:
    """The source pages and paragraph ids that an entity's sentences link to: every
    mention's, from its page of all mentions when the entity page shows only some."""
    every = page.locator("a", has_text="Toutes les mentions de")
    if every.count():
        every.first.click()
        page.wait_for_url(re.compile(r".*/mentions/$"))
    paragraphs: dict[str, set[str]] = {}
    for href in page.evaluate(_QUOTED_PARAGRAPHS):
        source, paragraph = href.split("#")
        paragraphs.setdefault(source, set()).add(paragraph)
    return paragraphs


def test_entity_page_ranks_the_entities_named_in_its_paragraphs(open_page, seeds_url):
    """The ten entities most often in the same paragraphs, most shared first, each with
    its count, which the reader finds again by following the page's quotes to their
    paragraphs: each of them names both."""
    page = open_page()
    page.goto(seeds_url + PERSON)
    related = related_entities(page)
    counts = [count for _, _, count in related]
    assert 1 <= len(related) <= 10 and counts == sorted(counts, reverse=True)
    card_row = page.locator(".dossier-card tr", has_text="Souvent avec").locator("a")
    assert card_row.all_inner_texts() == [name for name, _, _ in related[:3]]
    person = page.url
    mentions_in: dict[str, set[str]] = {}  # paragraph address -> the entities it names
    for source, ids in quoted_paragraphs(page).items():
        page.goto(source)
        for paragraph, named in page.evaluate(_MENTIONS_IN, sorted(ids)).items():
            mentions_in[f"{source}#{paragraph}"] = set(named)
    assert all(person in named for named in mentions_in.values())
    shared = {href: sum(href in named for named in mentions_in.values()) for _, href, _ in related}
    assert shared == {href: count for _, href, count in related}
    name, href, _ = related[0]
    page.goto(person)
    page.locator("#entites-associees ~ ol a").first.click()
    page.wait_for_url(href)
    assert name in page.locator("article h1").inner_text()


def test_an_event_page_has_a_small_map_of_its_place(open_page, seeds_url, seeds_site):
    _, dossier = seeds_site
    event = next(e for e in dossier.events if any(p.coordinates for p in e.places))
    place = next(p for p in event.places if p.coordinates)
    page = open_page()
    page.goto(seeds_url + f"events/{event.slug}/")
    page.wait_for_selector(".dossier-map--small[data-ready=true]")
    assert page.locator(f".dossier-marker--current.dossier-marker--{place.slug}").count() == 1
    served_from_the_site(page, seeds_url)


# --- the map: fitted, clustered, worded, dark, keyboard ---------------------------------

MAP_VIEW = """(() => { const m = document.getElementById('dossier-map').dossierMap,
  b = m.getBounds();
  return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast(), m.getZoom()]; })()"""


def open_drawing(open_page, site_url, name: str, variable: str, data: dict | None):
    """The page `name/` once its script has drawn `#dossier-name`, its data script
    (`name-data.js`, `window.<variable>`) replaced by `data` if given."""
    page = open_page()
    if data is not None:
        body = f"window.{variable} = {json.dumps(data)};\n"
        page.route(f"**/assets/dossier/{name}-data.js", lambda route: route.fulfill(body=body))
    page.goto(f"{site_url}{name}/")
    page.wait_for_selector(f"#dossier-{name}[data-ready=true]")
    return page


def open_map(open_page, seeds_url, data: dict | None = None):
    """The map page, with its places replaced by `data` (`window.dossierMap`) if given."""
    return open_drawing(open_page, seeds_url, "map", "dossierMap", data)


def map_of(places: list[dict]) -> dict:
    return {"tiles": None, "attribution": "", "places": places}


def assert_fitted(view: list[float], places: list[dict]) -> None:
    """The view holds every place, and in the direction that limits it (the places'
    widest extent relative to the map) it is at most twice their extent."""
    south, west, north, east, _ = view
    lats, lons = [p["lat"] for p in places], [p["lon"] for p in places]
    assert south <= min(lats) and max(lats) <= north
    assert west <= min(lons) and max(lons) <= east
    ratios = [
        (east - west) / (max(lons) - min(lons)),
        (north - south) / (max(lats) - min(lats)),
    ]
    assert min(ratios) <= 2, ratios


def test_the_map_opens_fitted_to_the_places_not_the_world(open_page, seeds_url, seeds_site):
    settings, _ = seeds_site
    places = site_data(settings, "map-data.js", "dossierMap")["places"]
    assert len(places) > 2
    page = open_map(open_page, seeds_url)
    assert_fitted(page.evaluate(MAP_VIEW), places)


def test_places_across_the_antimeridian_are_fitted_as_one_group(open_page, seeds_url):
    # what map_data writes for Fiji (178°), Tonga (-175°) and Samoa (-172°): unwrapped
    places = [
        {"id": i, "name": i.title(), "url": f"places/{i}/", "lat": lat, "lon": lon, "mentions": 1}
        for i, lat, lon in [
            ("fidji", -17.7, 178.0),
            ("tonga", -21.2, 185.0),
            ("samoa", -13.8, 188.0),
        ]
    ]
    page = open_map(open_page, seeds_url, {"tiles": None, "attribution": "", "places": places})
    view = page.evaluate(MAP_VIEW)
    assert_fitted(view, places)
    assert view[3] - view[1] < 60  # not the width of the world


def test_a_single_place_opens_at_a_regional_zoom(open_page, seeds_url):
    place = {"id": "alep", "name": "Alep", "url": "places/alep/", "lat": 36.2, "lon": 37.16}
    page = open_map(
        open_page,
        seeds_url,
        {"tiles": None, "attribution": "", "places": [{**place, "mentions": 3}]},
    )
    south, west, north, east, zoom = page.evaluate(MAP_VIEW)
    assert 4 <= zoom <= 8
    assert south < 36.2 < north and west < 37.16 < east


def test_overlapping_markers_are_clustered_and_part_when_zoomed_in(
    open_page, seeds_url, seeds_site
):
    settings, _ = seeds_site
    places = site_data(settings, "map-data.js", "dossierMap")["places"]
    page = open_map(open_page, seeds_url)
    clusters = page.locator("#dossier-map .dossier-cluster")
    assert clusters.count() >= 1
    assert page.locator("#dossier-map .dossier-marker").count() < len(places)
    assert "lieux" in clusters.first.inner_text()  # its name for a screen reader
    set_map_view(page, [35.5, 40], 9)
    page.wait_for_function(
        "() => document.querySelectorAll('#dossier-map .dossier-marker').length > 3"
    )


def test_bigger_markers_for_more_mentions(open_page, seeds_url):
    page = open_map(open_page, seeds_url)
    set_map_view(page, [35.5, 40], 9)
    widths = page.evaluate(
        """['mossoul', 'tal-afar'].map(id =>
            document.querySelector('.dossier-marker--' + id).getBoundingClientRect().width)"""
    )
    assert widths[0] > widths[1]  # 5 mentions against 1


def test_a_marker_tooltip_names_the_place_and_links_to_it(open_page, seeds_url):
    page = open_map(open_page, seeds_url)
    page.locator(".dossier-marker--etats-unis").hover()
    link = page.locator(".leaflet-tooltip a.dossier-map-link")
    assert link.inner_text() == "États-Unis"
    assert link.get_attribute("href") == "../places/etats-unis/"
    assert "1 mention" in page.locator(".leaflet-tooltip").inner_text()


def test_a_marker_and_the_map_answer_the_keyboard(open_page, seeds_url):
    page = open_map(open_page, seeds_url)
    marker = page.locator(".dossier-marker--etats-unis")
    assert marker.get_attribute("tabindex") == "0"
    assert marker.get_attribute("aria-label") == "États-Unis, 1 mention"
    marker.focus()
    page.keyboard.press("Enter")
    assert page.locator(".leaflet-popup a.dossier-map-link").inner_text() == "États-Unis"
    assert page.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "Fermer"
    zoom = page.evaluate(MAP_VIEW)[4]
    page.locator("#dossier-map").focus()
    page.keyboard.press("+")
    page.wait_for_function(
        "z => document.getElementById('dossier-map').dossierMap.getZoom() > z", arg=zoom
    )


def test_the_map_speaks_french(open_page, seeds_url):
    page = open_map(open_page, seeds_url)
    page.locator(".dossier-marker--etats-unis").click()
    html = page.locator("#dossier-map").evaluate("e => e.outerHTML")
    for english in ("Zoom in", "Zoom out", "Close popup", "Leaflet", "Outlines"):
        assert english not in html
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Zoom avant"
    assert page.locator(".leaflet-control-zoom-out").get_attribute("title") == "Zoom arrière"
    assert "Contours : Natural Earth" in page.locator(".leaflet-control-attribution").inner_text()


def test_the_map_turns_dark_with_the_dark_scheme(open_page, seeds_url):
    page = open_map(open_page, seeds_url)
    country = page.locator("#dossier-map path.dossier-country").first
    light = country.get_attribute("fill")
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_selector("#dossier-map.dossier-map--dark")
    assert country.get_attribute("fill") != light
    tiles = page.evaluate(
        "getComputedStyle(document.querySelector('#dossier-map .leaflet-tile-pane')).filter"
    )
    assert "invert" in tiles  # a tile layer, when mkdocs.yml sets one, is darkened too
    screenshot(page, "map-dark")
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
    page.wait_for_selector("#dossier-map:not(.dossier-map--dark)")
    assert country.get_attribute("fill") == light


# --- the timeline: an axis, in date order, grouped by day, zoomable, keyboard ---------

ITEMS = """[...document.querySelectorAll('#dossier-timeline .dossier-timeline-item')]
  .map(e => [e.getAttribute('data-date'), e.getBoundingClientRect().left])"""


def open_timeline(open_page, seeds_url, data: dict | None = None):
    return open_drawing(open_page, seeds_url, "timeline", "dossierTimeline", data)


def test_timeline_places_the_dated_events_in_date_order_along_the_axis(
    open_page, seeds_url, seeds_site
):
    _, dossier = seeds_site
    dated = sorted(e.date.isoformat() for e in dossier.events if e.date)
    assert len(set(dated)) > 2
    page = open_timeline(open_page, seeds_url)
    items = page.evaluate(ITEMS)
    assert [date for date, _ in items] == dated
    for (date_a, left_a), (date_b, left_b) in itertools.pairwise(items):
        assert left_a < left_b if date_a < date_b else left_a == left_b
    assert page.locator("#dossier-timeline .dossier-timeline-tick").count() >= 2
    screenshot(page, "timeline")
    served_from_the_site(page, seeds_url)


def test_timeline_answers_the_keyboard_and_zooms(open_page, seeds_url):
    page = open_timeline(open_page, seeds_url)
    items = page.locator("#dossier-timeline .dossier-timeline-item")
    items.first.focus()
    page.keyboard.press("ArrowRight")
    second = items.nth(1).get_attribute("data-slug")
    assert page.evaluate("document.activeElement.getAttribute('data-slug')") == second
    spread = page.evaluate(ITEMS)
    page.keyboard.press("+")
    zoomed = page.evaluate(ITEMS)
    assert page.evaluate("document.activeElement.getAttribute('data-slug')") == second
    assert zoomed[-1][1] - zoomed[0][1] > spread[-1][1] - spread[0][1]
    page.locator("#dossier-timeline button[aria-label='Zoom arrière']").click()
    assert page.evaluate(ITEMS)[-1][1] - page.evaluate(ITEMS)[0][1] < (zoomed[-1][1] - zoomed[0][1])
    page.locator("#dossier-timeline .dossier-timeline-item").last.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/events/**")


def test_a_crowded_day_is_one_group_that_opens(open_page, seeds_url):
    events = [
        {
            "slug": f"e{i}",
            "title": f"Événement {i}",
            "url": f"events/e{i}/",
            "date": "2017-02-20" if i < 5 else "2017-03-01",
            "end": "2017-02-20",
            "precision": "day",
            "label": "Frappe",
            "places": [],
            "disputed": False,
        }
        for i in range(6)
    ]
    page = open_timeline(open_page, seeds_url, {"events": events})
    group = page.locator("#dossier-timeline .dossier-timeline-group")
    assert group.count() == 1
    assert "5 événements" in group.inner_text()
    assert page.locator("#dossier-timeline a.dossier-timeline-item").count() == 1
    group.click()
    assert page.locator("#dossier-timeline a.dossier-timeline-item").count() == 6
    lefts = page.evaluate(ITEMS)
    assert len({left for date, left in lefts if date == "2017-02-20"}) == 1  # stacked


def test_timeline_speaks_french_and_without_javascript_is_the_table(open_page, seeds_url):
    page = open_timeline(open_page, seeds_url)
    tools = page.locator(".dossier-timeline-tools")
    assert tools.locator("button[aria-label='Zoom avant']").count() == 1
    assert "Tout voir" in tools.inner_text() and "Zoom in" not in tools.inner_html()
    static = open_page(java_script_enabled=False)
    static.goto(seeds_url + "timeline/")
    assert static.locator("#dossier-timeline").is_hidden()
    assert static.locator("article table a").count() >= 1
