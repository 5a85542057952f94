"""Hostile articles in a real browser: nothing from an article runs, every page renders."""

from __future__ import annotations

import pytest

from ..conftest import build_project
from .conftest import search, show_marker, site_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Every payload would set window.__pwned (or open a dialog) if it ran.
LONG_TITLE = " ".join(f"mot{i:04d}" for i in range(1250))[:10_000]
HOSTILE = {
    "script.md": (
        "---\n"
        "title: \"</title><script>window.__pwned='title'</script>\"\n"
        "outlet: '<img src=x onerror=\"window.__pwned=`outlet`\">'\n"
        "author: '[auteur](javascript:window.__pwned=1)'\n"
        "url: 'javascript:window.__pwned=2'\n"
        "---\n"
        "Le général Maqsoud <script>window.__pwned='body';alert('body')</script> a parlé "
        "à Damas.\n\n"
        "<img src=x onerror=\"window.__pwned='img'\"> <svg onload=\"window.__pwned='svg'\"> "
        "<iframe src=\"javascript:window.__pwned='iframe'\"></iframe>\n\n"
        "Lire [Damas](javascript:window.__pwned='md') ou <a href=\"javascript:alert(1)\">ici</a>"
        ' et [x]: javascript:alert(2) puis ![i](x "onerror=alert(3)").\n\n'
        "Modèles : {{ 7*7 }} {% raw %} {%- endraw %} {# commentaire #} ${7*7}\n\n"
        "Bagdad est <b onmouseover=\"window.__pwned='b'\">en colère</b>.\n"
    ),
    "long-title.md": f"---\ntitle: {LONG_TITLE}\n---\nL'armée irakienne a frappé Abou Kamal.\n",
    "arabic.txt": (
        "بغداد تحت القصف\n"
        "قال حيدر العبادي إن الطائرات قصفت مواقع داعش في سوريا.\n\n"
        "\u202eLe Premier ministre Haïder al-Abadi\u202c a parlé à Bagdad.\n"
    ),
    "page.html": (
        "<html><head><title>Page <script>window.__pwned='head'</script></title>"
        "<script>window.__pwned='html'</script></head><body>"
        "<p onclick=\"window.__pwned='p'\">Le Premier ministre Haïder al-Abadi a visité Mossoul."
        "</p><p><a href=\"javascript:window.__pwned='a'\">lien</a></p></body></html>"
    ),
}

# Entity names that are markup, with coordinates (a map marker) and a shared paragraph
# (a network node): the map's tooltips and popups, the network and search show them as text.
MAP_NAME = "<img src=x onerror=window.__pwned='map'>"
NETWORK_NAME = "<svg onload=window.__pwned='network'>"
HOSTILE["corrections.yml"] = (
    "entities:\n"
    f'  - name: "{MAP_NAME}"\n    type: place\n    coordinates: [36.2, 37.1]\n'
    f'  - name: "{NETWORK_NAME}"\n    type: organisation\n'
)
HOSTILE["noms.txt"] = (
    "Des noms hostiles\n"
    f"Les combattants de {NETWORK_NAME} ont quitté {MAP_NAME} pour Mossoul, selon le "
    f"Premier ministre Haïder al-Abadi.\n"
    f"Haïder al-Abadi a parlé de {NETWORK_NAME} à Bagdad.\n"
)
ARTICLES = [name for name in HOSTILE if name != "corrections.yml"]

PROBE = """() => ({
    pwned: window.__pwned ?? null,
    jsLinks: [...document.querySelectorAll('[href], [src]')]
        .map(e => e.getAttribute('href') ?? e.getAttribute('src'))
        .filter(v => /^\\s*javascript:/i.test(v)),
    handlers: [...document.querySelectorAll('.md-content *')]
        .flatMap(e => [...e.attributes].map(a => a.name))
        .filter(name => name.startsWith('on')),
    heading: document.querySelector('.md-content h1')?.innerText.length ?? 0,
    overflow: document.documentElement.scrollWidth - innerWidth,
})"""


@pytest.fixture(scope="module")
def hostile_url(make_project, serve_site):
    settings = make_project(HOSTILE)
    dossier = build_project(settings)
    assert len(dossier.articles) == len(ARTICLES)
    return serve_site(settings.site_dir), site_pages(settings.site_dir)


def test_no_script_from_articles_runs_and_every_page_renders(open_page, hostile_url):
    base, pages = hostile_url
    page = open_page()
    problems = {}
    for path in pages:
        response = page.goto(base + path)
        page.wait_for_load_state("load")
        found = page.evaluate(PROBE)
        if (
            response.status != 200
            or found["pwned"]
            or found["jsLinks"]
            or found["handlers"]
            or not found["heading"]
            or found["overflow"] > 0
        ):
            problems[path] = found
    assert problems == {}
    assert page.dossier.dialogs == [] and page.dossier.errors == []
    assert not [m for m in page.dossier.console if "pwned" in m]


def test_hostile_text_is_shown_as_text(open_page, hostile_url):
    base, pages = hostile_url
    page = open_page()
    sources = [p for p in pages if p.startswith("sources/") and p != "sources/"]
    texts = []
    for path in sources:
        page.goto(base + path)
        texts.append(page.locator(".md-content").inner_text())
    shown = "\n".join(texts)
    assert "<script>window.__pwned='body'" in shown
    assert "{{ 7*7 }}" in shown and "{% raw %}" in shown
    assert "[Damas](javascript:window.__pwned='md')" in shown
    assert "بغداد تحت القصف" in shown
    assert LONG_TITLE[:200] in shown


def test_searching_hostile_text_runs_nothing(open_page, hostile_url):
    base, _ = hostile_url
    page = open_page()
    page.goto(base)
    for query in ("script", "pwned", "onerror", "javascript", "title", "العبادي", "mot0001"):
        search(page, query)
        assert page.evaluate("window.__pwned ?? null") is None, query
    assert search(page, "pwned"), "the hostile text is indexed as text"
    assert page.dossier.dialogs == [] and page.dossier.errors == []


def assert_nothing_ran(page) -> None:
    assert page.evaluate("window.__pwned ?? null") is None
    assert page.dossier.dialogs == [] and page.dossier.errors == []


def test_hovering_and_clicking_every_map_marker_runs_nothing(open_page, hostile_url):
    base, pages = hostile_url
    page = open_page()
    maps = ["map/", *(p for p in pages if p.startswith("places/") and p != "places/")]
    tooltips = set()
    for path in maps:
        page.goto(base + path)
        if not page.locator(".dossier-map").count():
            continue  # a place without coordinates
        page.wait_for_selector(".dossier-map[data-ready=true]")
        places = page.evaluate("window.dossierMap.places")
        assert places
        for place in places:  # each out of its cluster, in turn
            marker = show_marker(page, place["id"])
            marker.dispatch_event("mouseover")
            tooltip = page.locator(".leaflet-tooltip").last.inner_text()
            assert place["name"] in tooltip
            tooltips.add(tooltip.split(" — ")[0])
            marker.dispatch_event("click")
            popups = page.locator(".leaflet-popup-content")  # the last one: the new one
            assert place["name"] in popups.last.inner_text()
            assert popups.locator("img, svg, [onerror], [onload]").count() == 0
        assert_nothing_ran(page)
    assert MAP_NAME in tooltips  # shown as text


def test_hovering_every_network_node_runs_nothing(open_page, hostile_url):
    base, _ = hostile_url
    page = open_page()
    page.goto(base + "network/")
    page.wait_for_selector("#dossier-network[data-ready=true]")
    box = page.locator("#dossier-network").bounding_box()
    nodes = page.evaluate(
        "window.dossierCy.nodes().map(n => ({label: n.data('label'), ...n.renderedPosition()}))"
    )
    assert NETWORK_NAME in {node["label"] for node in nodes}
    for node in nodes:
        page.mouse.move(box["x"] + node["x"], box["y"] + node["y"])
    assert page.locator("#dossier-network img, #dossier-network svg").count() == 0
    assert_nothing_ran(page)


def test_opening_every_search_result_of_hostile_names_runs_nothing(open_page, hostile_url):
    base, _ = hostile_url
    page = open_page()
    page.goto(base)
    found = set()
    for query in ("pwned", "onerror", "onload", "img", "svg"):
        results = search(page, query)
        markup = page.locator(".md-search-result__list :is(img, [onerror], [onload])")
        assert markup.count() == 0, query
        found.update(results)
        assert_nothing_ran(page)
    assert any(p.startswith("places/img-") for p in found), found
    for path in sorted(found):
        page.goto(base + path)
        page.wait_for_load_state("load")
        assert_nothing_ran(page)
