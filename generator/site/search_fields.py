"""Search fields: the accent-folded words and entity names added to the site's search index.

The site searches with lunr.js, set up as Material sets it up: it lowercases and splits
on the configured `separator` but does not fold accents, so `etat` would not find `État`.
`augment_index` adds three lean fields to the entries of Material's
`search/search_index.json` after the build:

- `names`: every name of an entity (`search.names` in the page's front matter), as
  written and accent-folded, on the page's own entry only, so the entity ranks first;
- `title_folded` / `text_folded`: only the words whose folded form differs (`État` ->
  `etat`), each once per entry, so the index grows by the accented words, not by a copy.

`tokens` and the French stop words are the words lunr indexes, for `search_index` too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import Any, cast

from lunr.stop_word_filter import generate_stop_word_filter

from generator.text import fold

NAMES, TITLE_FOLDED, TEXT_FOLDED = "names", "title_folded", "text_folded"
EXTRA_FIELDS = (NAMES, TITLE_FOLDED, TEXT_FOLDED)
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W_]+")


@cache
def stop_words() -> frozenset[str]:
    text = resources.files("generator").joinpath("data/stopwords-fr.txt").read_text("utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


@cache
def french_stop_word_filter() -> Callable[..., Any]:
    """lunr's stop-word filter for the French stop words (a pipeline function)."""
    return cast(Callable[..., Any], generate_stop_word_filter(stop_words(), "fr"))


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


def augment_index(data: dict[str, Any], names_by_page: dict[str, list[str]]) -> dict[str, Any]:
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
