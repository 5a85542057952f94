"""Search index: the lunr index built with the site, in the files its search worker loads.

`prebuilt_files` indexes the entries of Material's `search/search_index.json` (with the
fields of `search_fields`) with the Python `lunr` package, set up as Material sets up
the browser's, and writes what the site's search worker (`data/search-worker.js`) loads
instead of building an index in the reader's browser:

- `search/lunr_index.json`: the entries' locations and titles, the keys of the entities'
  other names (their titles' keys the search computes), where the articles' pages are
  (`articles`, a folder: they rank after the pages about an entity), and each term with the
  entries of each field where it is found and how often (term frequencies, from which
  the worker computes lunr's scores for the terms a query reaches);
- `search/text/*.json`: the text that results show, a few hundred entries a file, which
  the worker fetches for the entries a query finds, not before the first search.

`search_index.json` is left with Material's search configuration and no documents, so
that the page itself does not download and hand them to the worker. `load_index` and
`lunr_index` read those files back.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from lunr.builder import Builder
from lunr.idf import idf
from lunr.index import Index
from lunr.pipeline import Pipeline
from lunr.token_set import TokenSet
from lunr.utils import as_string
from lunr.vector import Vector

from generator.site.search_fields import NAME_KEYS, french_stop_word_filter, stop_words, tokens
from generator.site.urls import SOURCES

INDEX_FILE = Path("search") / "search_index.json"
PREBUILT_FILE = Path("search") / "lunr_index.json"
TEXT_FOLDER = Path("search") / "text"
PREBUILT_FORMAT = "dossier-lunr/3"
ARTICLES = f"{SOURCES}/"  # where the pages of the articles are, by location
TEXTS_PER_FILE = 500  # at 10,000 articles: about 80 files of 100 KB
NUMBER = "number"  # the ref of the lunr index: an entry's position in the documents
K1 = 1.2  # lunr's term frequency saturation; Material sets b to 0 (no length normalisation)


class SearchError(RuntimeError):
    """The search index is missing or unreadable; the message names the file."""


def load_index(site_dir: Path) -> dict[str, Any]:
    """The prebuilt index of a built site (`search/lunr_index.json`), checked."""
    path = site_dir / PREBUILT_FILE
    prebuilt: dict[str, Any] = _read_json(path, "no search index")
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


def site_documents(site_dir: Path) -> list[dict[str, Any]]:
    """The entries of a built site's search as Material lists them: location, title, text."""
    prebuilt = load_index(site_dir)
    texts: list[str] = []
    for name in prebuilt["texts"]["files"]:
        texts += _read_json(site_dir / PREBUILT_FILE.parent / name, "a search text file missing")
    return [
        {**entry, "text": text} for entry, text in zip(index_entries(prebuilt), texts, strict=True)
    ]


def index_entries(prebuilt: dict[str, Any]) -> list[dict[str, Any]]:
    titles = zip(prebuilt["locations"], prebuilt["titles"], strict=True)
    return [{"location": location, "title": title} for location, title in titles]


def name_keys(prebuilt: dict[str, Any]) -> dict[int, list[str]]:
    """The keys of the entities' other names, by entry number."""
    return {number: keys for number, *keys in prebuilt["nameKeys"]}


def prebuilt_files(data: dict[str, Any]) -> dict[Path, str]:
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
    fields = list(config["fields"])
    frequencies: dict[str, list[list[tuple[int, int]]]] = {}
    for number, by_field in enumerate(document_terms(data)):
        for at, counted in enumerate(by_field):
            for term, tf in counted.items():
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
        "nameKeys": [[n, *doc[NAME_KEYS]] for n, doc in enumerate(docs) if doc.get(NAME_KEYS)],
        "articles": ARTICLES,
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


def lunr_index(prebuilt: dict[str, Any]) -> Index:
    """The prebuilt index as a Python lunr index, its field vectors computed as lunr's
    builder computes them (the browser's worker computes the same, term by term)."""
    fields = prebuilt["fields"]
    count = len(prebuilt["locations"])
    doc_boosts = dict(prebuilt["boosts"])
    inverted: dict[str, dict[str, Any]] = {}
    vectors: dict[str, list[float]] = {}
    terms = zip(prebuilt["terms"], prebuilt["postings"], strict=True)
    for at, (term, postings) in enumerate(terms):
        entries = [decode_entries(numbers) for numbers in postings]
        entries += [[]] * (len(fields) - len(entries))  # trailing empty fields left out
        by_field = dict(zip(fields, entries, strict=True))
        posting: dict[str, Any] = {
            name: {str(n): {} for n, _ in found} for name, found in by_field.items()
        }
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


def document_terms(data: dict[str, Any]) -> Iterator[list[Counter[str]]]:
    """Each entry's terms, field by field, and how often each is found: what lunr's
    `Builder.add` counts (`index_builder`: its tokenizer lowercases the words the
    fields' extractors give, its pipeline drops the French stop words), without the
    token objects and metadata it copies for each word. For an add at 10,000 articles
    the builder took 4.5 s of the 7.4 s the search index did."""
    config = data["config"]
    separator = re.compile(config["separator"])
    extractors = [_extractor(name, separator) for name in config["fields"]]
    skip = stop_words()
    for doc in data["docs"]:
        yield [_counted(extract(doc), skip) for extract in extractors]


def _counted(words: list[str] | None, skip: frozenset[str]) -> Counter[str]:
    return Counter(word for word in (as_string(w).lower() for w in words or []) if word not in skip)


def index_builder(data: dict[str, Any]) -> Builder:
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


def _extractor(
    name: str, separator: re.Pattern[str]
) -> Callable[[dict[str, Any]], list[str] | None]:
    def extract(doc: dict[str, Any]) -> list[str] | None:
        value = doc.get(name)
        if value is None:
            return None
        return tokens(" ".join(value) if isinstance(value, list) else str(value), separator)

    return extract
