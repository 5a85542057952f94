"""The offline site (`dossier build --offline`) opened from its files in Chromium: its
links name files, never folders; search, map and network work; no request but for the
site's own files (`open_file_page` fails the test on any other)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import drawn_places, search, set_map_view, show_marker

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PERSON = "people/haider-al-abadi/index.html"
PLACE = "places/abou-kamal/index.html"


def file_url(site: Path, page: str = "index.html") -> str:
    return (site / page).as_uri()


def site_path(site: Path, url: str) -> str:
    """The path of a file:// URL inside the site (`people/x/index.html`), its anchor and
    query left out."""
    return Path(unquote(urlsplit(url).path)).relative_to(site.resolve()).as_posix()


def links_of(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Every link of the page, the network's SVG ones too, as absolute URLs."""
    return page.evaluate(
        "[...document.querySelectorAll('a[href]')]"
        ".map(a => new URL(a.getAttribute('href'), document.baseURI).href)"
    )


def test_every_link_from_the_home_page_on_names_a_file_of_the_site(open_file_page, offline_site):
    """Every page reached by following links from index.html, in the browser: each link
    of the site leads to a file that exists (a folder would show its listing)."""
    site = offline_site.resolve()
    page = open_file_page()
    to_visit, seen, wrong = ["index.html"], {"index.html"}, []
    while to_visit:
        current = to_visit.pop()
        page.goto(file_url(site, current))
        assert page.locator("h1").count() >= 1, current
        for url in links_of(page):
            if urlsplit(url).scheme != "file":
                continue
            path = site_path(site, url)
            if url.split("#")[0].split("?")[0].endswith("/") or not (site / path).is_file():
                wrong.append(f"{current} -> {url}")
            elif path.endswith(".html") and path not in seen:
                seen.add(path)
                to_visit.append(path)
    assert wrong == []
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert pages - seen <= {"404.html", "search/worker.html"}  # every page was reached
    assert page.dossier.errors == []


def test_search_from_the_files_finds_a_name_and_opens_its_page(open_file_page, offline_site):
    page = open_file_page()
    page.goto(file_url(offline_site))
    assert search(page, "abadi")  # the results came back from the worker's frame
    results = page.evaluate(
        "[...document.querySelectorAll('.md-search-result__list > li a')].map(a => a.href)"
    )
    assert site_path(offline_site, results[0]) == PERSON
    assert all(site_path(offline_site, url).endswith("index.html") for url in results)
    page.locator(".md-search-result__list > li a").first.click()
    page.wait_for_url(f"**/{PERSON}*")
    assert "al-Abadi" in page.locator("h1").inner_text()
    assert page.dossier.errors == []
    assert all(url.startswith("file://") for url in page.dossier.requests)


def test_the_map_from_the_files_draws_its_markers_and_links_to_index_html(
    open_file_page, offline_site, seeds_site
):
    _, dossier = seeds_site
    located = [p for p in dossier.entities_of("place") if p.coordinates]
    page = open_file_page()
    page.goto(file_url(offline_site, "map/index.html"))
    page.wait_for_selector("#dossier-map[data-ready=true]")
    assert drawn_places(page) == len(located)
    set_map_view(page, [34.4506, 40.9186], 10)
    # the click event itself: a mouse at the marker's place could meet the map still settling
    show_marker(page, "abou-kamal").dispatch_event("click")
    link = page.locator(".leaflet-popup a.dossier-map-link")
    assert link.get_attribute("href") == f"../{PLACE}"
    link.click()
    page.wait_for_url(f"**/{PLACE}")
    assert "Abou Kamal" in page.locator("h1").inner_text()
    assert page.dossier.errors == []


def test_the_network_from_the_files_draws_its_nodes_and_a_node_s_focus_opens_its_page(
    open_file_page, offline_site
):
    page = open_file_page()
    page.goto(file_url(offline_site, "network/index.html"))
    page.wait_for_selector("#dossier-network[data-ready=true]")
    nodes = page.evaluate("window.dossierCy.nodes().map(n => n.data('url'))")
    assert len(nodes) > 10 and all(url.endswith("/index.html") for url in nodes)
    box = page.locator("#dossier-network").bounding_box()
    x, y = page.evaluate(
        "id => { const cy = window.dossierCy, n = cy.getElementById(id);"
        " cy.zoom(3); cy.center(n); const p = n.renderedPosition(); return [p.x, p.y]; }",
        "people/haider-al-abadi",
    )
    page.mouse.click(box["x"] + x, box["y"] + y)  # a click focuses on the node
    page.wait_for_selector("#dossier-network[data-focus='people/haider-al-abadi']")
    link = page.locator(".dossier-network-focus a.dossier-network-open")
    assert link.get_attribute("href") == f"../{PERSON}"
    link.click()
    page.wait_for_url(f"**/{PERSON}")
    assert "al-Abadi" in page.locator("h1").inner_text()
    assert page.dossier.errors == []


PREVIEW = ".dossier-preview"
SOURCE = "sources/000-0541c686e601ef5e/index.html"


def preview_title(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator(f"{PREVIEW} h1").inner_text().replace("¶", "").strip()


def page_title(page, url: str) -> str:  # type: ignore[no-untyped-def]
    """The h1 of the page at a file:// URL, as the browser shows it in that page."""
    other = page.context.new_page()
    other.goto(url)
    title = other.locator("article h1").inner_text().replace("¶", "").strip()
    other.close()
    return title


def test_hovering_an_entity_link_from_the_files_shows_its_preview(open_file_page, offline_site):
    page = open_file_page()
    page.goto(file_url(offline_site, SOURCE))
    link = page.locator("article a.mention.person").first
    link.scroll_into_view_if_needed()
    link.hover()
    page.wait_for_selector(PREVIEW, state="visible")
    href = link.evaluate("a => a.href")
    assert preview_title(page) == page_title(page, href)
    assert page.locator(f"{PREVIEW} .dossier-card").count() == 1  # the card, not the title alone
    twin = site_path(offline_site, href).removesuffix("index.html") + "preview.js"
    assert any(site_path(offline_site, url) == twin for url in page.dossier.requests)
    assert not any("fetch" in message.lower() for message in page.dossier.console)
    page.mouse.move(0, 0)
    page.wait_for_selector(PREVIEW, state="detached")
    assert page.dossier.errors == []


def test_tabbing_to_an_entity_link_from_the_files_previews_it_and_escape_closes_it(
    open_file_page, offline_site
):
    page = open_file_page()
    page.goto(file_url(offline_site, SOURCE))
    for _ in range(150):  # from the top of the page, through the header, into the article
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('article a.mention')"):
            break
    href = page.evaluate("document.activeElement.href")
    assert "/people/" in href or "/places/" in href or "/organisations/" in href
    page.wait_for_selector(PREVIEW, state="visible")
    assert preview_title(page) == page_title(page, href)
    describedby = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    assert describedby == page.locator(PREVIEW).get_attribute("id")
    page.keyboard.press("Escape")
    page.wait_for_selector(PREVIEW, state="detached")
    assert page.dossier.errors == []
