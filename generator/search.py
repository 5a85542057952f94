"""Search: accent-folded fields, the lunr index built with the site, the same search in Python.

The site searches with lunr.js, set up as Material sets it up: it lowercases and splits
on the configured `separator` but does not fold accents, so `etat` would not find `État`.
`augment_index` adds three lean fields to `search/search_index.json` after the build:

- `names`: every name of an entity (`search.names` in the page's front matter), as
  written and accent-folded, on the page's own entry only, so the entity ranks first;
- `title_folded` / `text_folded`: only the words whose folded form differs (`État` ->
  `etat`), each once per entry, so the index grows by the accented words, not by a copy.

`prebuilt_index` builds the lunr index of the site with the Python `lunr` package, set
up as Material sets up the browser's, for the site's own search worker to load
(`data/search-worker.js`) instead of building it in the reader's browser.

`search` runs a query on that index the way the browser does (query terms split on the
separator, each a prefix `term*`, French stop words dropped from the index, Material's
score bonus and grouping by page).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from lunr.builder import Builder
from lunr.index import Index
from lunr.pipeline import Pipeline
from lunr.query import Query, QueryPresence
from lunr.stop_word_filter import WORDS as ENGLISH_STOP_WORDS
from lunr.stop_word_filter import generate_stop_word_filter

from generator.text import fold

NAMES, TITLE_FOLDED, TEXT_FOLDED = "names", "title_folded", "text_folded"
EXTRA_FIELDS = (NAMES, TITLE_FOLDED, TEXT_FOLDED)
INDEX_FILE = Path("search") / "search_index.json"
PREBUILT_FILE = Path("search") / "lunr_index.json"
NUMBER = "number"  # the ref of the lunr index: an entry's position in the documents
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W_]+")


class SearchError(RuntimeError):
    """The search index is missing or unreadable; the message names the file."""


@cache
def stop_words() -> frozenset[str]:
    text = resources.files("generator").joinpath("data/stopwords-fr.txt").read_text("utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


@cache
def french_stop_word_filter():  # type: ignore[no-untyped-def]
    return generate_stop_word_filter(stop_words(), "fr")


def tokens(text: str, separator: re.Pattern[str]) -> list[str]:
    """The words lunr.js indexes: text outside tags, split on the separator, lowercased."""
    return [t for t in separator.split(_TAG.sub(" ", text).lower()) if t]


def folded_only(text: str, separator: re.Pattern[str]) -> list[str]:
    """Folded forms of the words that change when folded (`état` -> `etat`), once each."""
    words: dict[str, None] = {}
    skip = stop_words()
    for token in tokens(text, separator):
        if token in skip:
            continue
        folded = fold(token)
        if folded and folded != token:
            words.update(dict.fromkeys(folded.split()))
    return list(words)


def name_words(names: Iterable[str]) -> list[str]:
    """Every word of every name, as written (lowercased) and folded, once each."""
    words: dict[str, None] = {}
    for name in names:
        words.update(dict.fromkeys(_WORD.findall(str(name).lower())))
        words.update(dict.fromkeys(fold(str(name)).split()))
    return list(words)


def augment_index(data: dict, names_by_page: dict[str, list[str]]) -> dict:
    """The index with the folded fields added to each entry that needs them."""
    separator = re.compile(data["config"]["separator"])
    for doc in data["docs"]:
        location = doc["location"]
        title = folded_only(doc.get("title", ""), separator)
        text = folded_only(doc.get("text", ""), separator)
        if title:
            doc[TITLE_FOLDED] = " ".join(title)
        if text:
            doc[TEXT_FOLDED] = " ".join(text)
        if "#" not in location and names_by_page.get(location):
            doc[NAMES] = " ".join(name_words(names_by_page[location]))
    return data


def without_index_fields(data: dict) -> dict:
    """The documents as search results show them: the fields added for the index alone
    (`names`, the folded words) are in the prebuilt index, the browser needs no copy."""
    docs = [{k: v for k, v in doc.items() if k not in EXTRA_FIELDS} for doc in data["docs"]]
    return {**data, "docs": docs}


def dump_index(data: dict) -> str:
    """Compact, like Material's own index file, but UTF-8 rather than ASCII escapes
    (`é` in 2 bytes, not 6: 9 % less for a French dossier)."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str)


# --- searching like the browser --------------------------------------------------------


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
    docs: dict[str, dict]
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

    def _hit(self, result: dict, terms: list[str]) -> Hit:
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


def group_by_page(hits: list[Hit], parents: dict[str, str], docs: dict) -> list[PageResult]:
    pages: dict[str, PageResult] = {}
    for hit in hits:
        page = parents.get(hit.location, hit.location)
        if page not in pages:
            pages[page] = PageResult(page, docs[page]["title"], hit.score)
        pages[page].sections.append(hit)
    return list(pages.values())


def load_index(site_dir: Path) -> dict:
    return _read_json(site_dir / INDEX_FILE, "no search index")


def _read_json(path: Path, missing: str) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise SearchError(f"{path}: {missing}; build the site first") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise SearchError(f"{path}: unreadable search index ({error})") from error


def prebuilt_index(data: dict) -> str:
    """The lunr index of the site's search, built once here rather than in the reader's
    browser at every page load (the site's search worker loads it: data/search-worker.js).

    Entries are numbered in the order of `data["docs"]`, with their locations alongside.
    Smaller and faster to read than lunr's own form: no field vectors for empty fields
    (lunr reads only those of the fields a term matched), and each term lists the entries
    of each field where it is found as an array of numbers, not as an object of empty
    objects, leaving out the fields where it is not (`expand_postings` makes lunr's form
    again). The French stop-word filter is named, and its words given, so that the
    browser can register it before loading the index."""
    search = build_search(data)
    index = search.index.serialize()
    index["fieldVectors"] = [vector for vector in index["fieldVectors"] if vector[1]]
    for _, posting in index["invertedIndex"]:
        for name in index["fields"]:
            entries = posting.pop(name)
            if entries:
                posting[name] = [int(entry) for entry in entries]
    prebuilt = {
        "stopWordFilter": french_stop_word_filter().label,
        "stopWords": sorted(stop_words()),
        "locations": search.locations,
        "index": index,
    }
    return json.dumps(prebuilt, separators=(",", ":"), ensure_ascii=False)


def load_search(site_dir: Path) -> SiteSearch:
    """The site's search as its browser runs it: the index built with the site."""
    data = load_index(site_dir)
    path = site_dir / PREBUILT_FILE
    prebuilt = _read_json(path, "no prebuilt search index")
    if prebuilt.get("locations") != [doc["location"] for doc in data["docs"]]:
        raise SearchError(f"{path}: made for another {INDEX_FILE.name}; build the site again")
    french_stop_word_filter()  # registers the filter that the index names
    return _site_search(Index.load(expand_postings(prebuilt["index"])), data)


def expand_postings(index: dict) -> dict:
    """A prebuilt index in lunr's own form: each term lists every field, the entries
    where it is found as keys (the browser does this for the terms a query reaches)."""
    for _, posting in index["invertedIndex"]:
        for name in index["fields"]:
            posting[name] = {str(entry): {} for entry in posting.get(name, [])}
    return index


def build_search(data: dict) -> SiteSearch:
    """A Python lunr index over the site's documents, set up as Material sets up the
    browser's: the configured fields and boosts, no length normalisation, and no pipeline
    but the French stop words. Entries are numbered in the order of the documents."""
    config = data["config"]
    separator = re.compile(config["separator"])
    builder = Builder()
    builder.pipeline = Pipeline()
    builder.pipeline.add(french_stop_word_filter())
    builder.search_pipeline = Pipeline()
    builder.ref(NUMBER)
    builder.b(0)
    for name, spec in config["fields"].items():
        builder.field(name, spec.get("boost", 1), _extractor(name, separator))
    for number, doc in enumerate(data["docs"]):
        builder.add({**doc, NUMBER: str(number)}, {"boost": doc.get("boost", 1)})
    return _site_search(builder.build(), data)


def _site_search(index: Index, data: dict) -> SiteSearch:
    docs: dict[str, dict] = {}
    parents: dict[str, str] = {}
    for doc in data["docs"]:
        # As Material maps them: a page's first entry stands for the page, the others
        # are its sections.
        page = doc["location"].split("#")[0]
        if page in docs:
            parents[doc["location"]] = page
            docs[doc["location"]] = doc
        else:
            docs[page] = doc
    locations = [doc["location"] for doc in data["docs"]]
    return SiteSearch(index, locations, docs, parents, re.compile(data["config"]["separator"]))


def _extractor(name: str, separator: re.Pattern[str]):  # type: ignore[no-untyped-def]
    def extract(doc: dict) -> list[str] | None:
        value = doc.get(name)
        if value is None:
            return None
        return tokens(" ".join(value) if isinstance(value, list) else str(value), separator)

    return extract


def search_site(site_dir: Path, query: str, limit: int | None = None) -> list[PageResult]:
    return load_search(site_dir).search(query, limit)
