"""The map, the network and the timeline with the keyboard alone: every test here
reaches what it uses with Tab from the top of the page and acts with keys
(`page.keyboard`), never with the mouse nor by calling the page's scripts to act."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAP = "document.getElementById('dossier-map').dossierMap"


def tab_to(page, condition: str, limit: int = 250) -> int:  # type: ignore[no-untyped-def]
    """Press Tab until `condition` (JavaScript, on `document.activeElement`) holds; the
    number of presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if active(page, f"!!({condition})"):
            return presses
    raise AssertionError(f"{condition} not reached in {limit} presses of Tab")


def active(page, script: str):  # type: ignore[no-untyped-def]
    return page.evaluate(f"(active => {script})(document.activeElement)")


def open_at(open_page, url: str, ready: str):  # type: ignore[no-untyped-def]
    page = open_page()
    page.goto(url)
    page.wait_for_selector(ready)
    return page


# --- the map ------------------------------------------------------------------------


def settled(page) -> None:  # type: ignore[no-untyped-def]
    """Wait for the map's zoom or pan to end."""
    page.wait_for_function(
        f"() => !{MAP}._animatingZoom && !({MAP}._panAnim && {MAP}._panAnim._inProgress)"
    )


def map_centre(page) -> list[float]:  # type: ignore[no-untyped-def]
    return page.evaluate(f"(() => {{ const c = {MAP}.getCenter(); return [c.lat, c.lng]; }})()")


def test_the_map_is_reached_with_tab_and_moves_and_zooms_with_keys(open_page, seeds_url):
    page = open_at(open_page, seeds_url + "map/", "#dossier-map[data-ready=true]")
    tab_to(page, "active.id === 'dossier-map'")
    help_id = page.locator("#dossier-map").get_attribute("aria-describedby")
    assert "Flèches" in page.locator(f"#{help_id}").inner_text()
    lat, lon = map_centre(page)
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => {MAP}.getCenter().lng > {lon}")
    settled(page)
    page.keyboard.press("ArrowUp")
    page.wait_for_function(f"() => {MAP}.getCenter().lat > {lat}")
    settled(page)
    zoom = page.evaluate(f"{MAP}.getZoom()")
    page.keyboard.press("+")
    page.wait_for_function(f"() => {MAP}.getZoom() > {zoom}")
    settled(page)
    page.keyboard.press("-")
    page.wait_for_function(f"() => {MAP}.getZoom() === {zoom}")
    settled(page)  # a key during a zoom's animation would be lost
    # the zoom buttons come after the places, named in French, and work with Enter
    tab_to(page, "active.classList.contains('leaflet-control-zoom-in')")
    assert active(page, "active.getAttribute('aria-label')") == "Zoom avant"
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => {MAP}.getZoom() > {zoom}")
    page.keyboard.press("Tab")
    assert active(page, "active.getAttribute('aria-label')") == "Zoom arrière"


def test_tab_reaches_every_place_of_the_map_each_marker_or_its_cluster(
    open_page, seeds_url, seeds_site
):
    _, dossier = seeds_site
    located = [place for place in dossier.entities_of("place") if place.coordinates]
    page = open_at(open_page, seeds_url + "map/", "#dossier-map[data-ready=true]")
    tab_to(page, "active.id === 'dossier-map'")
    places = 0
    while True:
        page.keyboard.press("Tab")
        kind = active(page, "active.closest('.leaflet-marker-pane') && active.className")
        if not kind:
            break
        if "dossier-cluster" in kind:
            places += int(active(page, "active.querySelector('span[aria-hidden]').textContent"))
        else:
            assert " mention" in active(page, "active.getAttribute('aria-label')")
            places += 1
    assert places == len(located)


def test_enter_on_clusters_then_on_a_marker_opens_its_place(open_page, seeds_url):
    page = open_at(open_page, seeds_url + "map/", "#dossier-map[data-ready=true]")
    assert page.locator("#dossier-map .dossier-cluster").count() >= 1, "the sample has a cluster"
    tab_to(page, "active.classList.contains('dossier-cluster')")
    for _ in range(12):  # Enter on a cluster zooms in to it and moves to its first place
        page.evaluate("window.dossierBefore = document.activeElement")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.activeElement !== window.dossierBefore"
            " && document.activeElement.closest('.leaflet-marker-pane')"
        )
        settled(page)
        if active(page, "active.classList.contains('dossier-marker')"):
            break
    else:
        raise AssertionError("Enter on clusters never reached a marker")
    name = active(page, "active.getAttribute('aria-label')").split(", ")[0]
    page.keyboard.press("Enter")  # the popup, and the keyboard on its link
    page.wait_for_selector(".leaflet-popup a.dossier-map-link")
    assert active(page, "active.classList.contains('dossier-map-link')")
    assert active(page, "active.textContent") == name
    page.keyboard.press("Escape")  # back to the marker, the popup closed
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert active(page, "active.getAttribute('aria-label')").startswith(name + ", ")
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup a.dossier-map-link")
    page.keyboard.press("Enter")  # the link: the place's page
    page.wait_for_url("**/places/**")
    assert page.locator("article h1").inner_text().replace("¶", "").strip().endswith(name)


# --- the network --------------------------------------------------------------------


def network_status(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator(".dossier-network-status").inner_text()


def shown_nodes(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.locator("#dossier-network").get_attribute("data-visible"))


def test_the_network_s_filters_answer_the_keyboard(open_page, seeds_url):
    page = open_at(open_page, seeds_url + "network/", "#dossier-network[data-ready=true]")
    everyone = shown_nodes(page)
    tab_to(page, "active.matches('.dossier-network-types input[value=place]')")
    page.keyboard.press("Space")  # the places unchecked
    assert active(page, "active.checked") is False
    fewer = shown_nodes(page)
    assert fewer < everyone
    page.keyboard.press("Space")
    assert shown_nodes(page) == everyone
    tab_to(page, "active.matches('.dossier-network-minimum input')")
    page.keyboard.press("ArrowRight")  # at least 2 shared paragraphs
    assert page.locator(".dossier-network-minimum output").inner_text() == "2"
    assert shown_nodes(page) < everyone
    page.keyboard.press("Home")
    assert shown_nodes(page) == everyone


def test_the_network_s_nodes_focus_and_open_with_the_keyboard(open_page, seeds_url):
    page = open_at(open_page, seeds_url + "network/", "#dossier-network[data-ready=true]")
    everyone = shown_nodes(page)
    tab_to(page, "active.id === 'dossier-network'")
    assert (
        "Entrée"
        in page.locator("#" + active(page, "active.getAttribute('aria-describedby')")).inner_text()
    )
    page.keyboard.press("ArrowRight")
    first = network_status(page).split(", ")[0]
    page.keyboard.press("ArrowRight")
    second = network_status(page).split(", ")[0]
    assert first != second
    page.keyboard.press("ArrowLeft")
    assert network_status(page).split(", ")[0] == first
    page.keyboard.press("Enter")  # its neighbours only
    page.wait_for_selector("#dossier-network[data-focus]")
    assert shown_nodes(page) < everyone
    assert first in page.locator(".dossier-network-focus").inner_text()
    page.keyboard.press("Escape")  # the whole network again
    page.wait_for_selector("#dossier-network:not([data-focus])")
    assert shown_nodes(page) == everyone
    assert active(page, "active.id") == "dossier-network"
    page.keyboard.press("Enter")  # the same node, still chosen: its neighbours
    page.wait_for_selector("#dossier-network[data-focus]")
    # from the focus, Shift+Tab reaches "back" and the page's link, before the network
    page.keyboard.press("Shift+Tab")
    assert active(page, "active.classList.contains('dossier-network-back')")
    page.keyboard.press("Shift+Tab")
    assert active(page, "active.classList.contains('dossier-network-open')")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/network/" not in url)
    assert page.locator("article h1").inner_text().replace("¶", "").strip().endswith(first)


# --- the timeline -------------------------------------------------------------------


def test_the_timeline_is_one_tab_stop_its_events_reached_with_the_arrows(open_page, seeds_url):
    page = open_at(open_page, seeds_url + "timeline/", "#dossier-timeline[data-ready=true]")
    items = page.locator("#dossier-timeline .dossier-timeline-item")
    slugs = [items.nth(i).get_attribute("data-slug") for i in range(items.count())]
    assert len(slugs) > 2
    tab_to(page, "active.classList.contains('dossier-timeline-item')")
    assert active(page, "active.getAttribute('data-slug')") == slugs[0]
    page.keyboard.press("Tab")  # one step out of the axis
    assert not active(page, "active.closest('.dossier-timeline-track')")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("End")
    assert active(page, "active.getAttribute('data-slug')") == slugs[-1]
    page.keyboard.press("ArrowLeft")
    assert active(page, "active.getAttribute('data-slug')") == slugs[-2]
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    assert active(page, "active.getAttribute('data-slug')") == slugs[1]
    scale = float(page.locator("#dossier-timeline").get_attribute("data-scale"))
    page.keyboard.press("+")
    assert float(page.locator("#dossier-timeline").get_attribute("data-scale")) > scale
    assert active(page, "active.getAttribute('data-slug')") == slugs[1]  # kept through the zoom
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")  # back to the event chosen last, not the first
    assert active(page, "active.getAttribute('data-slug')") == slugs[1]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/events/{slugs[1]}/")
