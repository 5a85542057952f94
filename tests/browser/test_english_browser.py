"""An English dossier (`dossier new --language en`, tests/english/'s articles) in
Chromium: the timeline's, the map's and the network's controls speak English, from the
catalog the pages' words come from."""

from __future__ import annotations

import pytest

from tests.english_site import build_english_dossier

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def english_url(tmp_path_factory, serve_site) -> str:
    return serve_site(build_english_dossier(tmp_path_factory.mktemp("english") / "dossier"))


def opened(open_page, url: str, ready: str):  # type: ignore[no-untyped-def]
    page = open_page()
    page.goto(url)
    page.wait_for_selector(f"{ready}[data-ready=true]")
    assert page.evaluate("document.documentElement.lang") == "en"
    return page


def test_the_timeline_s_controls_speak_english(open_page, english_url):
    page = opened(open_page, english_url + "timeline/", "#dossier-timeline")
    tools = page.locator(".dossier-timeline-tools")
    assert tools.locator("button[aria-label='Zoom in']").count() == 1
    assert tools.locator("button[aria-label='Zoom out']").count() == 1
    assert "Show all" in tools.inner_text() and "Zoom avant" not in tools.inner_html()
    axis = page.locator(".dossier-timeline-viewport")
    assert axis.get_attribute("aria-label") == "Timeline of events"
    assert page.locator(".dossier-timeline-item").first.inner_text().find("Feb") >= 0


def test_the_map_s_controls_speak_english(open_page, english_url):
    page = opened(open_page, english_url + "map/", "#dossier-map")
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Zoom in"
    assert page.locator(".leaflet-control-zoom-out").get_attribute("title") == "Zoom out"
    assert "Outlines: Natural Earth" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.locator("#dossier-map").get_attribute("aria-label") == "Map of places"


def test_the_network_s_controls_speak_english(open_page, english_url):
    page = opened(open_page, english_url + "network/", "#dossier-network")
    controls = page.locator(".dossier-network-controls").inner_text()
    assert "Show" in controls and "Shared paragraphs, at least" in controls
    assert "people" in controls and "places" in controls
    assert "Afficher" not in controls and "personnes" not in controls
    network = page.locator("#dossier-network")
    assert network.get_attribute("aria-label") == "Network of entities"
    network.focus()
    page.keyboard.press("ArrowRight")
    status = page.locator(".dossier-network-status").inner_text()
    assert "mention" in status and ("link" in status) and " lien" not in status
