"""Search in the browser: Material's own search box, on the sample dossier and on a
100-article dossier of the benchmark's synthetic corpus."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.records import Dossier
from generator.site.search import load_search
from generator.site.urls import entity_url, event_url
from generator.text import fold

from .conftest import search
from .reader_queries import ReaderQueries, names_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Query as a reader would type it -> the page that must come first.
FIRST_RESULT = {
    "Daesh": "organisations/daech/",
    "ISIS": "organisations/daech/",
    "etat islamique": "organisations/daech/",
    "abadi": "people/haider-al-abadi/",
    "Haidar": "people/haider-al-abadi/",
    "deir ez zor": "places/deir-ez-zor/",
    "DEIR-EZ-ZOR": "places/deir-ez-zor/",
    "maqsoud": "people/ali-maqsood/",
    "albou kamal": "places/abou-kamal/",
    "Boukamal": "places/abou-kamal/",
    "tel afar": "places/tal-afar/",
    "Mossoul": "places/mossoul/",
    "armee irakienne": "organisations/armee-irakienne/",
    "ministere syrien": "organisations/ministere-syrien-des-affaires-etrangeres/",
}


def test_alias_and_accent_insensitive_queries_find_the_entity_first(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url)
    wrong = {}
    for query, expected in FIRST_RESULT.items():
        results = search(page, query)
        if not results or results[0] != expected:
            wrong[query] = results[:3]
    assert wrong == {}


def test_prefix_matching_finds_inflected_article_words(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url)
    results = search(page, "frappe")  # the articles say `frappes`, `frappé`
    assert results[:2] and all(r.startswith("sources/") for r in results[:2]), results
    assert "frappes" in page.locator(".md-search-result__list").inner_text().lower()


def test_full_source_text_is_searchable(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url)
    # a word that only the body of one article contains (no entity, no title)
    assert search(page, "stupefiant")[:1] == ["sources/001-8aa3180bd5d47c8b/"]


def test_command_line_search_agrees_with_the_browser(open_page, seeds_url, seeds_site):
    settings, _ = seeds_site
    page = open_page()
    page.goto(seeds_url)
    queries = ("abadi", "Daesh", "frappe", "deir ez zor", "etat islamique", "armée syrienne")
    assert disagreements(page, settings.site_dir, queries) == {}


def disagreements(
    page, site_dir: Path, queries: Iterable[str]
) -> dict[str, tuple[list[str], list[str]]]:  # type: ignore[no-untyped-def]
    """The queries whose first three results differ between `dossier search` (the site's
    index loaded as it loads it) and the browser: theirs, by query."""
    command_line = load_search(site_dir)
    disagree = {}
    for query in queries:
        in_browser = search(page, query)[:3]
        on_command_line = [r.location for r in command_line.search(query, limit=3)]
        if on_command_line != in_browser:
            disagree[query] = (on_command_line, in_browser)
    return disagree


def test_a_result_opens_its_page(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url)
    search(page, "maqsoud")
    page.locator(".md-search-result__list > li a").first.click()
    page.wait_for_url("**/people/ali-maqsood/**")
    assert "Ali Maqsood" in page.locator("h1").inner_text()


def test_the_browser_loads_the_index_built_with_the_site_rather_than_building_it(
    open_page, seeds_url
):
    page = open_page()
    page.goto(seeds_url)
    assert search(page, "maqsoud")[:1] == ["people/ali-maqsood/"]
    fetched = [urlsplit(url).path for url in page.dossier.requests]
    assert {"/search/worker.js", "/search/lunr.js", "/search/lunr_index.json"} <= set(fetched)
    assert not [path for path in fetched if "/assets/javascripts/workers/" in path]
    assert page.dossier.errors == []


def test_results_mark_the_words_found_even_when_typed_without_accents(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url)
    search(page, "etat islamique")
    marked = page.locator(".md-search-result__list mark").all_inner_texts()
    assert any(m.startswith("État") for m in marked)  # found by its folded form `etat`
    assert "islamique" in [m.lower() for m in marked]


def test_results_come_with_the_text_of_their_files_fetched_only_when_found(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url)
    page.wait_for_load_state("load")
    assert not [url for url in page.dossier.requests if "/search/text/" in url]  # not yet
    search(page, "stupefiant")
    assert [url for url in page.dossier.requests if "/search/text/" in url]
    teaser = page.locator(".md-search-result__list article").all_inner_texts()
    assert any("stupéfiant" in text.lower() for text in teaser)


def test_without_its_text_files_search_still_lists_the_pages(
    open_page, serve_site, seeds_site, tmp_path
):
    settings, _ = seeds_site
    site = tmp_path / "site"
    shutil.copytree(settings.site_dir, site)
    shutil.rmtree(site / "search" / "text")  # a half-deployed site, say
    page = open_page()
    page.goto(serve_site(site))
    assert search(page, "maqsoud")[:1] == ["people/ali-maqsood/"]
    assert page.dossier.errors == []


@pytest.fixture(scope="module")
def reader_queries(corpus_site) -> dict[str, str]:
    _, dossier = corpus_site
    return ReaderQueries(dossier).everything()


def test_fifteen_queries_a_reader_would_type_find_the_right_page_first(
    open_page, serve_site, corpus_site, reader_queries
):
    settings, _ = corpus_site
    assert len(reader_queries) == 15, reader_queries
    page = open_page()
    page.goto(serve_site(settings.site_dir))
    wrong = {}
    for query, expected in reader_queries.items():
        results = search(page, query)
        if results[:1] != [expected]:
            wrong[query] = (expected, results[:3])
    assert wrong == {}


def test_a_place_then_its_events_then_the_sources_that_name_it(open_page, serve_site, corpus_site):
    settings, dossier = corpus_site
    place = most_cited_place_with_a_few_events(dossier)
    events = {event_url(event) for event in dossier.events_of(place)}
    page = open_page()
    page.goto(serve_site(settings.site_dir))
    results = search(page, place.name)
    assert results[:1] == [entity_url(place)], results
    listed = [at for at, result in enumerate(results) if result in events]
    sources = [at for at, result in enumerate(results) if result.startswith("sources/")]
    assert listed and sources, results
    assert max(listed) < min(sources), results


def most_cited_place_with_a_few_events(dossier: Dossier):
    """A few: so that its events and then its sources are in the first results listed."""
    owners = {}
    for entity in dossier.entities:
        for name in names_of(entity):
            owners.setdefault(fold(name), set()).add(entity.slug)
    places = sorted(dossier.entities_of("place"), key=lambda e: (-len(e.mentions), e.slug))
    return next(
        place
        for place in places
        if 2 <= len(dossier.events_of(place)) <= 4 and owners[fold(place.name)] == {place.slug}
    )


def test_the_command_line_ranks_the_reader_queries_as_the_browser(
    open_page, serve_site, corpus_site, reader_queries
):
    settings, _ = corpus_site
    page = open_page()
    page.goto(serve_site(settings.site_dir))
    assert disagreements(page, settings.site_dir, reader_queries) == {}
