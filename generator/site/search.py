"""Search: the site's search run in Python, the way the browser runs it.

`search` runs a query on the index built with the site (see `search_index`): query
terms split on the separator, each a prefix `term*`, French stop words dropped from the
index, Material's score bonus and grouping by page. `dossier search` and the tests use
it; `search_fields` and `search_index` say what the index holds.

Pages are then ranked as a reader expects (`Rank`), the search worker's `rankOf` alike:
the entity whose name (or other name) the query is; then, when there is one, the pages
other than articles that have every word of the query in their title or names (its
events, other entities named after it); then the pages that have every word somewhere
(the articles that mention it, whatever their title); then those that have some. By
score within each rank, and by location for equal scores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

from lunr.index import Index
from lunr.query import Query, QueryPresence
from lunr.stop_word_filter import WORDS as ENGLISH_STOP_WORDS

from generator.site.search_fields import NAME_KEYS, NAMES, TITLE_FOLDED, name_key
from generator.site.search_index import (
    ARTICLES,
    index_builder,
    index_entries,
    load_index,
    lunr_index,
    name_keys,
)

HEADLINE_FIELDS = frozenset({"title", TITLE_FOLDED, NAMES})


class Rank(IntEnum):
    """How a page answers a query, best first (the search worker's `RANK`)."""

    NAME = 0  # an entity whose name, or one of its other names, is the query
    HEADLINE = 1  # not an article; the query, an entity's name, in its title or names
    ALL_WORDS = 2  # every word of the query somewhere in the page
    SOME_WORDS = 3


@dataclass
class Hit:
    location: str
    title: str
    score: float
    terms: dict[str, bool]
    headline: set[str] = field(default_factory=set)  # query terms found in title or names
    named: bool = False  # a term found in the names of an entity


@dataclass
class PageResult:
    """One result as the browser lists it: a page, with its matching sections."""

    location: str
    title: str
    score: float
    sections: list[Hit] = field(default_factory=list)
    rank: Rank = Rank.SOME_WORDS


@dataclass
class SiteSearch:
    index: Index  # its refs are numbers: positions in `locations`
    locations: list[str]
    docs: dict[str, dict[str, Any]]
    parents: dict[str, str]  # section location -> its page's location
    separator: re.Pattern[str]
    other_names: dict[str, list[str]]  # an entity page's location -> its other names' keys

    def search(self, query: str, limit: int | None = None) -> list[PageResult]:
        terms = query_terms(query, self.separator)
        if not terms:
            return []
        pages = self.ranked(terms, name_key(query, self.separator))
        return pages[:limit] if limit else pages

    def ranked(self, terms: list[str], key: str) -> list[PageResult]:
        """`key`: the query as typed, as a name (see `search_fields.name_key`)."""
        hits = sorted(self.hits(terms), key=lambda hit: (-hit.score, hit.location))
        pages = group_by_page(hits, self.parents, self.docs)
        known = {term for hit in hits for term, found in hit.terms.items() if found}
        for page in pages:
            page.rank = rank_of(page, known, self.is_name(page, key))
        if not any(page.rank == Rank.NAME for page in pages):
            for page in pages:  # no entity named, so no pages about it
                page.rank = max(page.rank, Rank.ALL_WORDS)
        return sorted(pages, key=lambda page: (page.rank, -page.score, page.location))

    def is_name(self, page: PageResult, key: str) -> bool:
        """Whether the query (as `key`) is a name of this page's entity."""
        own = next((hit for hit in page.sections if hit.location == page.location), None)
        if own is None or not own.named:
            return False
        return key == name_key(page.title, self.separator) or key in self.other_names.get(
            page.location, ()
        )

    def hits(self, terms: list[str]) -> list[Hit]:
        lunr_query = self.index.create_query()
        for term in terms:
            lunr_query.term(
                term,
                use_pipeline=False,
                wildcard=Query.WILDCARD_TRAILING,
                presence=QueryPresence.OPTIONAL,
            )
        return [self._hit(result, terms) for result in self.index.query(lunr_query)]

    def _hit(self, result: dict[str, Any], terms: list[str]) -> Hit:
        """Material's bonus: a page's own entry, and the share of query terms it matches."""
        location = self.locations[int(result["ref"])]
        metadata: dict[str, dict[str, Any]] = result["match_data"].metadata
        matched = list(metadata)
        found = {t: True for t in terms if any(m.startswith(t) for m in matched)}
        for t in terms:
            # Material tests lunr's global (English) stop-word filter here, not the French one.
            if t not in found and t not in ENGLISH_STOP_WORDS:
                found[t] = False
        share = sum(found.values()) / len(found) if found else 0
        bonus = (location not in self.parents) + share
        headline = {
            t
            for t in terms
            for term, fields in metadata.items()
            if term.startswith(t) and HEADLINE_FIELDS & set(fields)
        }
        named = any(NAMES in fields for fields in metadata.values())
        score = result["score"] * (1 + bonus**2)
        return Hit(location, self.docs[location]["title"], score, found, headline, named)


def rank_of(page: PageResult, known: set[str], is_name: bool) -> Rank:
    """`known`: the query terms that some entry has (a stop word or a typo is in none, so
    it cannot keep a page from having every word)."""
    if is_name:
        return Rank.NAME
    found = {term for hit in page.sections for term, ok in hit.terms.items() if ok}
    if not known <= found:
        return Rank.SOME_WORDS
    headline = {term for hit in page.sections for term in hit.headline}
    about = known <= headline and not page.location.startswith(ARTICLES)
    return Rank.HEADLINE if about else Rank.ALL_WORDS


def query_terms(query: str, separator: re.Pattern[str]) -> list[str]:
    """What Material sends to lunr for plain words: lowercased parts, each a prefix."""
    words = [w for w in query.replace('"', " ").split() if not re.fullmatch(r"[*+\-:^~]+", w)]
    return [t for word in words for t in separator.split(word.lower()) if t]


def group_by_page(
    hits: list[Hit], parents: dict[str, str], docs: dict[str, Any]
) -> list[PageResult]:
    pages: dict[str, PageResult] = {}
    for hit in hits:
        page = parents.get(hit.location, hit.location)
        if page not in pages:
            pages[page] = PageResult(page, docs[page]["title"], hit.score)
        pages[page].sections.append(hit)
    return list(pages.values())


def load_search(site_dir: Path) -> SiteSearch:
    """The site's search as its browser runs it: the index built with the site."""
    prebuilt = load_index(site_dir)
    separator = re.compile(prebuilt["separator"])
    entries = index_entries(prebuilt)
    for number, keys in name_keys(prebuilt).items():
        entries[number][NAME_KEYS] = keys
    return _site_search(lunr_index(prebuilt), entries, separator)


def build_search(data: dict[str, Any]) -> SiteSearch:
    """The search of the site's documents, indexed in place (what `prebuilt_files` saves)."""
    separator = re.compile(data["config"]["separator"])
    return _site_search(index_builder(data).build(), data["docs"], separator)


def _site_search(
    index: Index, entries: list[dict[str, Any]], separator: re.Pattern[str]
) -> SiteSearch:
    docs: dict[str, dict[str, Any]] = {}
    parents: dict[str, str] = {}
    for doc in entries:
        # As Material maps them: a page's first entry stands for the page, the others
        # are its sections.
        page = doc["location"].split("#")[0]
        if page in docs:
            parents[doc["location"]] = page
            docs[doc["location"]] = doc
        else:
            docs[page] = doc
    locations = [doc["location"] for doc in entries]
    other_names = {doc["location"]: doc[NAME_KEYS] for doc in entries if doc.get(NAME_KEYS)}
    return SiteSearch(index, locations, docs, parents, separator, other_names)


def search_site(site_dir: Path, query: str, limit: int | None = None) -> list[PageResult]:
    return load_search(site_dir).search(query, limit)
