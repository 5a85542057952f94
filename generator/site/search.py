"""Search: accent-folded fields, the lunr index built with the site, the same search in Python.

The site searches with lunr.js, set up as Material sets it up: it lowercases and splits
on the configured `separator` but does not fold accents, so `etat` would not find `État`.
`augment_index` adds three lean fields to the entries of Material's
`search/search_index.json` after the build:

- `names`: every name of an entity (`search.names` in the page's front matter), as
  written and accent-folded, on the page's own entry only, so the entity ranks first;
- `title_folded` / `text_folded`: only the words whose folded form differs (`État` ->
  `etat`), each once per entry, so the index grows by the accented words, not by a copy.

`prebuilt_files` indexes those entries with the Python `lunr` package, set up as
Material sets up the browser's, and writes what the site's search worker
(`data/search-worker.js`) loads instead of building an index in the reader's browser:

- `search/lunr_index.json`: the entries' locations and titles, and each term with the
  entries of each field where it is found and how often (term frequencies, from which
  the worker computes lunr's scores for the terms a query reaches);
- `search/text/*.json`: the text that results show, a few hundred entries a file, which
  the worker fetches for the entries a query finds, not before the first search.

`search_index.json` is left with Material's search configuration and no documents, so
that the page itself does not download and hand them to the worker.

`search` runs a query on that index the way the browser does (query terms split on the
separator, each a prefix `term*`, French stop words dropped from the index, Material's
score bonus and grouping by page).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from lunr.builder import Builder
from lunr.idf import idf
from lunr.index import Index
from lunr.pipeline import Pipeline
from lunr.query import Query, QueryPresence
from lunr.stop_word_filter import WORDS as ENGLISH_STOP_WORDS
from lunr.stop_word_filter import generate_stop_word_filter
from lunr.token_set import TokenSet
from lunr.vector import Vector

from generator.text import fold

NAMES, TITLE_FOLDED, TEXT_FOLDED = "names", "title_folded", "text_folded"
EXTRA_FIELDS = (NAMES, TITLE_FOLDED, TEXT_FOLDED)
INDEX_FILE = Path("search") / "search_index.json"
PREBUILT_FILE = Path("search") / "lunr_index.json"
TEXT_FOLDER = Path("search") / "text"
PREBUILT_FORMAT = "dossier-lunr/2"
TEXTS_PER_FILE = 500  # at 10,000 articles: about 80 files of 100 KB
NUMBER = "number"  # the ref of the lunr index: an entry's position in the documents
K1 = 1.2  # lunr's term frequency saturation; Material sets b to 0 (no length normalisation)
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
    """The prebuilt index of a built site (`search/lunr_index.json`), checked."""
    path = site_dir / PREBUILT_FILE
    prebuilt = _read_json(path, "no search index")
    if prebuilt.get("format") != PREBUILT_FORMAT:
        raise SearchError(f"{path}: made by another version of dossier; build the site again")
    return prebuilt


def _read_json(path: Path, missing: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise SearchError(f"{path}: {missing}; build the site first") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise SearchError(f"{path}: unreadable search index ({error})") from error


def site_documents(site_dir: Path) -> list[dict]:
    """The entries of a built site's search as Material lists them: location, title, text."""
    prebuilt = load_index(site_dir)
    texts: list[str] = []
    for name in prebuilt["texts"]["files"]:
        texts += _read_json(site_dir / PREBUILT_FILE.parent / name, "a search text file missing")
    return [{**entry, "text": text} for entry, text in zip(_entries(prebuilt), texts, strict=True)]


def _entries(prebuilt: dict) -> list[dict]:
    titles = zip(prebuilt["locations"], prebuilt["titles"], strict=True)
    return [{"location": location, "title": title} for location, title in titles]


def prebuilt_files(data: dict) -> dict[Path, str]:
    """What the site's search worker loads (data/search-worker.js), by path in the site:
    the prebuilt index, the text of the entries a few hundred a file, and Material's
    `search_index.json` left with its configuration only.

    The index holds, for each term (in JavaScript's string order, which lunr.js wants),
    the entries of each field where it is found, numbered in the order of
    `data["docs"]`: a delta from the previous entry, negative when the term frequency
    follows (it is 1 otherwise). lunr's field vectors are left out: with Material's
    settings an entry's score for a term depends on that frequency, the term's document
    frequency and the boosts alone, so the worker computes the scores of the terms a
    query reaches (and `load_search` those of every term). At 10,000 articles: 3.4 MB,
    titles and locations included, where lunr's form (made leaner) was 12.6 MB."""
    config = data["config"]
    docs = data["docs"]
    builder = index_builder(data)
    fields = list(config["fields"])
    frequencies: dict[str, list[list[tuple[int, int]]]] = {}
    for number in range(len(docs)):
        for at, name in enumerate(fields):
            for term, tf in builder.field_term_frequencies[f"{name}/{number}"].items():
                frequencies.setdefault(term, [[] for _ in fields])[at].append((number, tf))
    terms = sorted(frequencies, key=lambda term: term.encode("utf-16-be"))
    texts = [doc.get("text", "") for doc in docs]
    files = {
        text_file_name(at // TEXTS_PER_FILE, chunk): chunk
        for at in range(0, len(texts), TEXTS_PER_FILE)
        for chunk in [_dump(texts[at : at + TEXTS_PER_FILE])]
    }
    index = {
        "format": PREBUILT_FORMAT,
        "separator": config["separator"],
        "fields": fields,
        "fieldBoosts": [config["fields"][name].get("boost", 1) for name in fields],
        "locations": [doc["location"] for doc in docs],
        "titles": [doc.get("title", "") for doc in docs],
        "boosts": [[n, doc["boost"]] for n, doc in enumerate(docs) if doc.get("boost", 1) != 1],
        "terms": terms,
        "postings": [_trimmed([encode_entries(e) for e in frequencies[t]]) for t in terms],
        "texts": {"perFile": TEXTS_PER_FILE, "files": list(files)},
    }
    return {
        INDEX_FILE: _dump({"config": config, "docs": []}),
        PREBUILT_FILE: _dump(index),
        **{PREBUILT_FILE.parent / name: chunk for name, chunk in files.items()},
    }


def text_file_name(number: int, content: str) -> str:
    """Named by content too, so that a browser never pairs a new index with old text."""
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:12]
    return f"{TEXT_FOLDER.name}/{number}.{digest}.json"


def _dump(value: Any) -> str:
    """Compact, and UTF-8 rather than ASCII escapes (`é` in 2 bytes, not 6)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _trimmed(lists: list[list[int]]) -> list[list[int]]:
    while lists and not lists[-1]:
        lists.pop()
    return lists


def encode_entries(entries: list[tuple[int, int]]) -> list[int]:
    """[(3, 1), (5, 2), (9, 1)] -> [4, -2, 2, 4]: deltas from the previous entry (from -1),
    negative when a term frequency other than 1 follows."""
    numbers: list[int] = []
    previous = -1
    for number, tf in entries:
        delta = number - previous
        numbers += [delta] if tf == 1 else [-delta, tf]
        previous = number
    return numbers


def decode_entries(numbers: list[int]) -> list[tuple[int, int]]:
    entries = []
    number, at = -1, 0
    while at < len(numbers):
        delta = numbers[at]
        if delta < 0:
            number -= delta
            entries.append((number, numbers[at + 1]))
            at += 2
        else:
            number += delta
            entries.append((number, 1))
            at += 1
    return entries


def load_search(site_dir: Path) -> SiteSearch:
    """The site's search as its browser runs it: the index built with the site."""
    prebuilt = load_index(site_dir)
    separator = re.compile(prebuilt["separator"])
    return _site_search(lunr_index(prebuilt), _entries(prebuilt), separator)


def lunr_index(prebuilt: dict) -> Index:
    """The prebuilt index as a Python lunr index, its field vectors computed as lunr's
    builder computes them (the browser's worker computes the same, term by term)."""
    fields = prebuilt["fields"]
    count = len(prebuilt["locations"])
    doc_boosts = dict(prebuilt["boosts"])
    inverted: dict[str, dict] = {}
    vectors: dict[str, list[float]] = {}
    terms = zip(prebuilt["terms"], prebuilt["postings"], strict=True)
    for at, (term, postings) in enumerate(terms):
        entries = [decode_entries(numbers) for numbers in postings]
        entries += [[]] * (len(fields) - len(entries))  # trailing empty fields left out
        by_field = dict(zip(fields, entries, strict=True))
        posting: dict = {name: {str(n): {} for n, _ in found} for name, found in by_field.items()}
        term_idf = idf(posting, count)
        for name, field_boost, found in zip(fields, prebuilt["fieldBoosts"], entries, strict=True):
            for number, tf in found:
                score = term_idf * ((K1 + 1) * tf) / (K1 + tf) * field_boost
                score *= doc_boosts.get(number, 1)
                vectors.setdefault(f"{name}/{number}", []).extend((at, round(score, 3)))
        inverted[term] = {"_index": at, **posting}
    return Index(
        inverted_index=inverted,
        field_vectors={ref: Vector(elements) for ref, elements in vectors.items()},
        token_set=TokenSet.from_list(sorted(inverted)),
        fields=fields,
        pipeline=Pipeline(),
    )


def index_builder(data: dict) -> Builder:
    """A Python lunr index builder over the site's documents, set up as Material sets up
    the browser's: the configured fields and boosts, no length normalisation, and no
    pipeline but the French stop words. Entries are numbered in the order of the
    documents."""
    config = data["config"]
    separator = re.compile(config["separator"])
    builder = Builder()
    builder.pipeline = Pipeline()
    builder.pipeline.add(french_stop_word_filter())
    builder.search_pipeline = Pipeline()
    builder.ref(NUMBER)
    builder.b(0)
    builder.k1(K1)
    for name, spec in config["fields"].items():
        builder.field(name, spec.get("boost", 1), _extractor(name, separator))
    for number, doc in enumerate(data["docs"]):
        builder.add({**doc, NUMBER: str(number)}, {"boost": doc.get("boost", 1)})
    return builder


def build_search(data: dict) -> SiteSearch:
    """The search of the site's documents, indexed in place (what `prebuilt_files` saves)."""
    separator = re.compile(data["config"]["separator"])
    return _site_search(index_builder(data).build(), data["docs"], separator)


def _site_search(index: Index, entries: list[dict], separator: re.Pattern[str]) -> SiteSearch:
    docs: dict[str, dict] = {}
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


def _extractor(name: str, separator: re.Pattern[str]):  # type: ignore[no-untyped-def]
    def extract(doc: dict) -> list[str] | None:
        value = doc.get(name)
        if value is None:
            return None
        return tokens(" ".join(value) if isinstance(value, list) else str(value), separator)

    return extract


def search_site(site_dir: Path, query: str, limit: int | None = None) -> list[PageResult]:
    return load_search(site_dir).search(query, limit)
