"""Search: the site's search run in Python, the way the browser runs it.

`search` runs a query on the index built with the site (see `search_index`): query
terms split on the separator, each a prefix `term*`, French stop words dropped from the
index, Material's score bonus and grouping by page. `dossier search` and the tests use
it; `search_fields` and `search_index` say what the index holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lunr.index import Index
from lunr.query import Query, QueryPresence
from lunr.stop_word_filter import WORDS as ENGLISH_STOP_WORDS

from generator.site.search_index import index_builder, index_entries, load_index, lunr_index


@dataclass
class Hit:
    location: str
    title: str
    score: float
    terms: dict[str, bool]


@dataclass
class PageResult:
    """One result as the browser lists it: a page, with its matching sections."""

    location: str
    title: str
    score: float
    sections: list[Hit] = field(default_factory=list)


@dataclass
class SiteSearch:
    index: Index  # its refs are numbers: positions in `locations`
    locations: list[str]
    docs: dict[str, dict[str, Any]]
    parents: dict[str, str]  # section location -> its page's location
    separator: re.Pattern[str]

    def search(self, query: str, limit: int | None = None) -> list[PageResult]:
        terms = query_terms(query, self.separator)
        if not terms:
            return []
        lunr_query = self.index.create_query()
        for term in terms:
            lunr_query.term(
                term,
                use_pipeline=False,
                wildcard=Query.WILDCARD_TRAILING,
                presence=QueryPresence.OPTIONAL,
            )
        hits = [self._hit(result, terms) for result in self.index.query(lunr_query)]
        hits.sort(key=lambda hit: -hit.score)
        pages = group_by_page(hits, self.parents, self.docs)
        return pages[:limit] if limit else pages

    def _hit(self, result: dict[str, Any], terms: list[str]) -> Hit:
        """Material's bonus: a page's own entry, and the share of query terms it matches."""
        location = self.locations[int(result["ref"])]
        matched = list(result["match_data"].metadata)
        found = {t: True for t in terms if any(m.startswith(t) for m in matched)}
        for t in terms:
            # Material tests lunr's global (English) stop-word filter here, not the French one.
            if t not in found and t not in ENGLISH_STOP_WORDS:
                found[t] = False
        share = sum(found.values()) / len(found) if found else 0
        bonus = (location not in self.parents) + share
        return Hit(location, self.docs[location]["title"], result["score"] * (1 + bonus**2), found)


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
    return _site_search(lunr_index(prebuilt), index_entries(prebuilt), separator)


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
    return SiteSearch(index, locations, docs, parents, separator)


def search_site(site_dir: Path, query: str, limit: int | None = None) -> list[PageResult]:
    return load_search(site_dir).search(query, limit)
