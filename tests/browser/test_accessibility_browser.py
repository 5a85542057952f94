"""Accessibility of the sample dossier and of the 100-article one (`reader_site`):
axe-core (from npm, installed by scripts/setup.sh into node_modules/) finds no serious or
critical violation on any page type, in the light and the dark colour scheme; and the
French sites say none of the theme's English words, in their text or their attributes,
once their scripts have run.

Each page type of a site is opened once per scheme for the whole file (`page_visits`):
what the tests check is read in that one visit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.records import Dossier

from .conftest import Site, is_local, page_opener, search, site_pages, unavailable

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = {"light": "default", "dark": "slate"}  # the browser's setting, Material's scheme
SECTIONS = {
    "people": "person",
    "places": "place",
    "organisations": "organisation",
    "sources": "source",
    "events": "event",
}
# Material's and the site's own English words (the map's and the network's are theirs).
ENGLISH_UI = (
    "Permanent link",
    "Not found",
    "Search",
    "Skip to content",
    "Back to top",
    "Copy to clipboard",
    "Type to start searching",
    "matching document",
    "Table of contents",
    "Light mode",
    "Dark mode",
)

# The page's words outside its text: every text outside <article> (but on the 404 page,
# whose text is the theme's), and the titles, labels, placeholders and alternative texts
# of every element.
_UI_TEXT = """
withArticle => {
  const outside = document.body.cloneNode(true);
  const dropped = withArticle ? "script, style" : "article, script, style";
  outside.querySelectorAll(dropped).forEach(node => node.remove());
  const attributes = [...document.querySelectorAll("[title], [aria-label], [placeholder], [alt]")]
    .flatMap(node => ["title", "aria-label", "placeholder", "alt"].map(a => node.getAttribute(a)))
    .filter(Boolean);
  return [outside.textContent, ...attributes, document.title].join("\\n");
}
"""

_TRANSITIONS_ENDED = """() => document.getAnimations().every(a =>
  a.playState !== "running" || a.effect.getComputedTiming().iterations === Infinity)"""

# Each violation once per rule, with the first nodes' selectors: enough to find it.
_SERIOUS_VIOLATIONS = """
async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({ rule: v.id, impact: v.impact, count: v.nodes.length,
                 nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")) }));
}
"""


def page_types(site: Path) -> dict[str, str]:
    """One page of each type: the home, the section indexes, an entity, a source and an
    event page, the timeline, the map, the network, the about page and the 404 page."""
    pages = site_pages(site)
    types = {"home": "", "404": "404.html"}
    for path in pages:
        parts = path.strip("/").split("/")
        if parts[0] in SECTIONS and len(parts) == 2:
            types.setdefault(SECTIONS[parts[0]], path)
        elif len(parts) == 1 and parts[0]:
            types.setdefault(f"{parts[0]} (index)", path)
    return types


def axe_script() -> Path:
    if not AXE.is_file():
        unavailable(f"{AXE} not found: run `npm ci` (scripts/setup.sh does)")
    return AXE


def serious_violations(page) -> list[dict]:
    # colours read mid-transition (results fading in) are not the page's
    page.wait_for_function(_TRANSITIONS_ENDED)
    return page.evaluate(_SERIOUS_VIOLATIONS)


def open_in_scheme(open_page, scheme: str):
    page = open_page(color_scheme=scheme)
    page.add_init_script(path=str(axe_script()))  # as the browser's own script: not the CSP's
    return page


def assert_scheme(page, scheme: str) -> None:
    shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert shown == SCHEMES[scheme]


def search_query(dossier: Dossier) -> str:
    """The most cited place's name: results of every kind (the place, events, sources)."""
    return max(dossier.entities_of("place"), key=lambda e: (len(e.mentions), e.slug)).name


@dataclass(frozen=True)
class Visit:
    """What a page type showed once loaded: its language, its English words (read before
    axe ran) and axe's serious violations."""

    language: str
    english: dict[str, int]
    violations: list[dict]


def visit_page_types(open_page, site: Site, scheme: str) -> dict[str, Visit]:
    page = open_in_scheme(open_page, scheme)
    found = {}
    for name, path in sorted(page_types(site.settings.site_dir).items()):
        page.goto(site.url + path)
        page.wait_for_load_state("load")
        assert_scheme(page, scheme)
        language = page.evaluate("document.documentElement.lang")
        english = english_words(page, with_article=name == "404")
        found[name] = Visit(language, english, serious_violations(page))
    return found


@pytest.fixture(scope="module")
def page_visits(browser) -> Iterator[Callable[[Site, str], dict[str, Visit]]]:
    """A site's page types visited in a colour scheme, once for all the tests of this file,
    in a page watched as `open_page`'s (no request leaves 127.0.0.1, the policy refuses
    nothing: checked once the file's tests are done)."""
    visited: dict[tuple[str, str], dict[str, Visit]] = {}
    with page_opener(browser, is_local, "127.0.0.1") as open_page:

        def visits(site: Site, scheme: str) -> dict[str, Visit]:
            if (site.url, scheme) not in visited:
                visited[site.url, scheme] = visit_page_types(open_page, site, scheme)
            return visited[site.url, scheme]

        yield visits


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_no_serious_violation_on_any_page_type(page_visits, reader_site: Site, scheme):
    types = page_types(reader_site.settings.site_dir)
    expected = {"person", "place", "organisation", "source", "event", "timeline (index)"}
    assert expected <= types.keys() and {"map (index)", "network (index)"} <= types.keys()
    found = page_visits(reader_site, scheme)
    assert {name: visit.violations for name, visit in found.items() if visit.violations} == {}


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_no_serious_violation_in_search_results(open_page, reader_site: Site, scheme):
    page = open_in_scheme(open_page, scheme)
    page.goto(reader_site.url)
    assert search(page, search_query(reader_site.dossier))
    assert_scheme(page, scheme)
    assert serious_violations(page) == []


def english_words(page, with_article: bool = False) -> dict[str, int]:
    text = page.evaluate(_UI_TEXT, with_article)
    return {word: text.count(word) for word in ENGLISH_UI if word in text}


def test_the_french_site_says_no_english_ui_word(open_page, page_visits, reader_site: Site):
    visits = page_visits(reader_site, "light")  # the browser's scheme when none is asked
    assert {name: visit.language for name, visit in visits.items()} == dict.fromkeys(visits, "fr")
    found = {name: visit.english for name, visit in visits.items()}
    page = open_page()
    page.goto(reader_site.url)
    assert search(page, search_query(reader_site.dossier))
    found["search"] = english_words(page)
    assert {name: words for name, words in found.items() if words} == {}


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_no_serious_violation_with_a_hover_preview_open(open_page, reader_site: Site, scheme):
    page = open_in_scheme(open_page, scheme)
    page.goto(reader_site.url + page_types(reader_site.settings.site_dir)["source"])
    link = page.locator("article a.mention").first
    link.scroll_into_view_if_needed()
    link.hover()
    page.wait_for_selector(".dossier-preview", state="visible")
    assert serious_violations(page) == []
