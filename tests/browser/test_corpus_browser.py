"""Issue 19 at scale: the 100-article dossier of the benchmark's corpus (`corpus_site`,
built once per session) read in the browser as the sample is. The home page's lede, an
entity page that fits in a few screens, the conflict box naming each version and its
outlets, the map fitted to the places and clustered, the network's filters, focus mode
and capped labels, the timeline's axis, zoom and keyboard, a hover preview. Axe-core and
the English words run on this site in `test_accessibility_browser.py` (`reader_site`).

One page load per test (two for the entity pages): each of them weighs on `make test`.
"""

from __future__ import annotations

import itertools

import pytest

from generator.records import Conflict, Dossier, Event
from generator.site import urls
from generator.site.i18n import words
from generator.site.wording import FIGURE_WORDS, Wording

from .conftest import act, drawn_places
from .test_preview_browser import PREVIEW, first_link, preview_of, title_of
from .test_visual_browser import (
    ITEMS,
    MAP_VIEW,
    SHOWN,
    assert_fitted,
    neighbours,
    network_of,
    open_map,
    open_network,
    open_timeline,
    site_data,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWPORT = {"width": 1280, "height": 900}
SCREENS = 8  # issue 19: any entity page at most 8 screens high at 100 articles
FRENCH = Wording(words("fr"))
LABELLED = 15  # the network's labelled nodes (network.js)


def test_the_home_lede_says_the_period_the_counts_and_the_main_events(
    open_page, corpus_url, corpus_site
):
    _, dossier = corpus_site
    dates = sorted(a.date for a in dossier.articles if a.date)
    outlets = {a.outlet for a in dossier.articles if a.outlet}
    page = open_page()
    page.goto(corpus_url)
    lede = page.locator(".md-content p.dossier-lede").inner_text()
    articles, media, events = (
        FRENCH.n_(f"%(num)s {one}", f"%(num)s {one}s", n)
        for one, n in (
            ("article", len(dossier.articles)),
            ("média", len(outlets)),
            ("événement", len(dossier.events)),
        )
    )
    assert lede.startswith(
        f"Ce dossier rassemble {articles} de {media}, publiés du {FRENCH.date(dates[0])} "
        f"au {FRENCH.date(dates[-1])}."
    ), lede
    assert f"Ils rapportent {events}" in lede
    assert "Les personnes les plus citées sont" in lede and "les lieux les plus cités" in lede
    listed = page.locator("h2:has-text('Les principaux événements') + ul > li > a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname.slice(1))"
    )
    assert_main_events(dossier, [href for href in listed if href.startswith("events/")])


def assert_main_events(dossier: Dossier, listed: list[str]) -> None:
    """Five dated events, in date order, told by no fewer articles than any event left out."""
    by_page = {urls.event_url(e): e for e in dossier.events}
    events = [by_page[href] for href in listed]
    assert len(events) == 5 and all(e.date for e in events), listed
    assert [e.date for e in events] == sorted(e.date for e in events if e.date)
    others = [e for e in dossier.events if e.date and e not in events]
    assert min(len(e.articles) for e in events) >= max(len(e.articles) for e in others)


def document_height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def test_the_largest_entity_pages_fit_in_eight_screens(open_page, corpus_url, corpus_site):
    """The largest page in bytes, and the page of the most mentioned entity."""
    settings, dossier = corpus_site
    pages = {urls.entity_page(e): e for e in dossier.entities}
    size = {page: (settings.site_dir / urls.dest_uri(page)).stat().st_size for page in pages}
    most_cited = max(dossier.entities, key=lambda e: (len(e.mentions), e.slug))
    checked = {max(size, key=lambda page: size[page]), urls.entity_page(most_cited)}
    page = open_page(viewport=VIEWPORT)
    heights = {}
    for path in sorted(checked):
        page.goto(corpus_url + urls.page_url(path))
        page.wait_for_load_state("load")
        heights[path] = document_height(page)
    assert all(0 < h <= SCREENS * VIEWPORT["height"] for h in heights.values()), heights


def figure_conflicts(dossier: Dossier) -> list[tuple[Event, Conflict]]:
    return [
        (event, conflict)
        for event in dossier.events
        for conflict in dossier.conflicts.get(event.slug, [])
        if conflict.field in FIGURE_WORDS
    ]


def test_the_conflict_box_names_each_figure_and_the_outlets_that_give_it(
    open_page, corpus_url, corpus_site
):
    _, dossier = corpus_site
    disputed = figure_conflicts(dossier)
    assert disputed, "the corpus's attacks are told with 52 and with 39 dead"
    # the event whose versions are given by the most outlets: the fullest box to read
    event, conflict = max(disputed, key=lambda pair: len(outlets_of(dossier, pair[1])))
    page = open_page()
    page.goto(corpus_url + urls.event_url(event))
    box = page.locator(".admonition.warning").inner_text()
    for version in conflict.versions:
        assert version.amount is not None
        said = f"{FRENCH.n_(*FIGURE_WORDS[conflict.field], version.amount)} selon"
        assert said in box, (said, box)
    outlets = outlets_of(dossier, conflict)
    assert len(outlets) >= 2 and all(outlet in box for outlet in outlets), (outlets, box)


def outlets_of(dossier: Dossier, conflict: Conflict) -> set[str]:
    """The outlets of the first claims of each version (the box names four sayers each)."""
    return {
        outlet
        for version in conflict.versions
        for claim in version.claims[:1]
        if (outlet := dossier.article_by_slug[claim.article].outlet)
    }


def test_the_map_opens_fitted_to_its_places_and_clusters_them(open_page, corpus_url, corpus_site):
    settings, _ = corpus_site
    places = site_data(settings, "map-data.js", "dossierMap")["places"]
    assert len(places) > 100
    page = open_map(open_page, corpus_url)
    assert_fitted(page.evaluate(MAP_VIEW), places)
    assert page.locator("#dossier-map .dossier-cluster").count() >= 1
    assert page.locator("#dossier-map .dossier-marker").count() < len(places) / 2
    assert drawn_places(page) == len(places)  # each place drawn once, in a cluster or not


def test_the_network_filters_focuses_and_labels_only_its_top_nodes(
    open_page, corpus_url, corpus_site
):
    settings, _ = corpus_site
    data = network_of(settings)
    page = open_network(open_page, corpus_url)
    labelled = "window.dossierCy.nodes().filter(n => n.style('label') !== '').length"
    assert len(data["nodes"]) > LABELLED and page.evaluate(labelled) == LABELLED

    page.locator(".dossier-network-types input[value=place]").uncheck()
    assert page.evaluate(SHOWN) == sorted(n["id"] for n in data["nodes"] if n["type"] != "place")
    page.locator(".dossier-network-types input[value=place]").check()
    minimum = sorted(e["weight"] for e in data["edges"])[len(data["edges"]) // 2] + 1
    strong = [e for e in data["edges"] if e["weight"] >= minimum]
    page.locator(".dossier-network-minimum input").fill(str(minimum))
    expected = sorted({e["source"] for e in strong} | {e["target"] for e in strong})
    assert page.evaluate(SHOWN) == expected and 0 < len(expected) < len(data["nodes"])

    page.locator(".dossier-network-minimum input").fill("1")
    hub = max(data["nodes"], key=lambda n: (n["mentions"], n["id"]))["id"]
    act(page, "id => window.dossierCy.getElementById(id).emit('tap')", hub)
    page.wait_for_selector(f"#dossier-network[data-focus='{hub}']")
    assert page.evaluate(SHOWN) == sorted(neighbours(data, hub) | {hub})


def test_the_timeline_is_an_axis_grouped_by_day_zoomable_by_keyboard(
    open_page, corpus_url, corpus_site
):
    _, dossier = corpus_site
    page = open_timeline(open_page, corpus_url)
    items = page.evaluate(ITEMS)
    dated = sorted({e.date.isoformat() for e in dossier.events if e.date})
    assert sorted({date for date, _ in items}) == dated  # every day, once opened or grouped
    for (date_a, left_a), (date_b, left_b) in itertools.pairwise(items):
        assert date_a <= date_b and (left_a < left_b if date_a < date_b else left_a == left_b)
    assert page.locator("#dossier-timeline .dossier-timeline-tick").count() >= 2
    assert page.locator("#dossier-timeline .dossier-timeline-group").count() >= 1  # 2017-02-16

    first = page.locator("#dossier-timeline .dossier-timeline-item").first
    first.focus()
    page.keyboard.press("ArrowRight")
    second = page.locator("#dossier-timeline .dossier-timeline-item").nth(1)
    assert second.evaluate("e => e === document.activeElement")
    page.keyboard.press("+")
    zoomed = page.evaluate(ITEMS)
    assert zoomed[-1][1] - zoomed[0][1] > items[-1][1] - items[0][1]


def test_hovering_an_entity_link_shows_the_entity_s_page(open_page, corpus_url, corpus_site):
    _, dossier = corpus_site
    article = max(dossier.articles, key=lambda a: len(dossier.mentions_by_article[a.slug]))
    page = open_page()
    page.goto(corpus_url + urls.source_url(article.slug))
    link = first_link(page, "article a.mention")
    link.hover()
    page.wait_for_selector(PREVIEW, state="visible")
    assert preview_of(page)["title"] == title_of(page, link.evaluate("a => a.href"))
    assert page.dossier.errors == []
