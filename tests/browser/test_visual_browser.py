"""The map and the network in the browser: they draw, they link, nothing leaves 127.0.0.1.

The `open_page` fixture fails any test whose pages requested another host.
"""

from __future__ import annotations

import json
import re

import pytest

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLACE = "places/abou-kamal/"  # located by the sample corrections
PERSON = "people/haider-al-abadi/"


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
    assert page.locator("#dossier-map path.dossier-marker").count() == len(located)
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
    page.evaluate(
        "document.getElementById('dossier-map').dossierMap"
        ".setView([34.4506, 40.9186], 10, {animate: false})"
    )
    page.locator("path.dossier-marker--abou-kamal").click()
    link = page.locator(".leaflet-popup a.dossier-map-link")
    assert link.inner_text() == "Abou Kamal"
    link.click()
    page.wait_for_url(f"**/{PLACE}")
    assert "Abou Kamal" in page.locator("h1").inner_text()


def test_a_place_page_has_a_small_map_centred_on_it(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url + PLACE)
    page.wait_for_selector(".dossier-map--small[data-ready=true]")
    current = page.locator(".dossier-map--small path.dossier-marker--current")
    assert current.count() == 1
    centre = page.evaluate(
        "(() => { const c = document.querySelector('.dossier-map--small').dossierMap.getCenter();"
        " return [c.lat, c.lng]; })()"
    )
    assert centre == pytest.approx([34.4506, 40.9186], abs=0.01)
    served_from_the_site(page, seeds_url)


def test_network_draws_every_node_and_a_node_opens_its_page(open_page, seeds_url, seeds_site):
    settings, _ = seeds_site
    data = json.loads(
        (settings.site_dir / "assets/dossier/network-data.js")
        .read_text(encoding="utf-8")
        .removeprefix("window.dossierNetwork = ")
        .removesuffix(";\n")
    )
    page = open_page()
    page.goto(seeds_url + "network/")
    page.wait_for_selector("#dossier-network[data-ready=true]")
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
    page.wait_for_url(f"**/{PERSON}")
    assert "al-Abadi" in page.locator("h1").inner_text()


def test_network_without_javascript_is_a_linked_svg(open_page, seeds_url):
    page = open_page(java_script_enabled=False)
    page.goto(seeds_url + "network/")
    svg = page.locator(".dossier-network-static svg")
    assert svg.is_visible()
    assert page.locator("#dossier-network").is_hidden()
    screenshot(page, "network-static")
    page.locator(f".dossier-network-static a[data-id='{PERSON.rstrip('/')}']").click()
    page.wait_for_url(f"**/{PERSON}")


def test_entity_page_shows_the_sentences_linking_it_to_others(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url + PERSON)
    related = page.locator("#entites-associees + ul > li").first
    assert re.search(r"\d+ paragraphe", related.inner_text())
    quote = related.locator("li").first
    assert "«" in quote.inner_text()
    quote.locator("a").click()
    page.wait_for_url(re.compile(r".*/sources/[^/]+/#p\d+$"))


def test_an_event_page_has_a_small_map_of_its_place(open_page, seeds_url, seeds_site):
    _, dossier = seeds_site
    event = next(e for e in dossier.events if any(p.coordinates for p in e.places))
    place = next(p for p in event.places if p.coordinates)
    page = open_page()
    page.goto(seeds_url + f"events/{event.slug}/")
    page.wait_for_selector(".dossier-map--small[data-ready=true]")
    assert page.locator(f"path.dossier-marker--current.dossier-marker--{place.slug}").count() == 1
    served_from_the_site(page, seeds_url)
