"""Search fields: the accent-folded words and entity names added to the site's search index.

The site searches with lunr.js, set up as Material sets it up: it lowercases and splits
on the configured `separator` but does not fold accents, so `etat` would not find `État`.
`augment_index` adds three lean fields to the entries of Material's
`search/search_index.json` after the build:

- `names`: every name of an entity (`search.names` in the page's front matter), as
  written and accent-folded, on the page's own entry only, so the entity ranks first;
- `title_folded` / `text_folded`: only the words whose folded form differs (`État` ->
  `etat`), each once per entry, so the index grows by the accented words, not by a copy.

It also gives each entity page the keys of its other names (`name_keys`, see
`name_key`): a query equal to one of them, or to its title's, is that entity's name, and
the search ranks its page first. Not an index field: `search_index` stores them apart.

`tokens` and the French stop words are the words lunr indexes, for `search_index` too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import Any, cast

from lunr.stop_word_filter import generate_stop_word_filter

from generator.text import fold

NAMES, TITLE_FOLDED, TEXT_FOLDED = "names", "title_folded", "text_folded"
EXTRA_FIELDS = (NAMES, TITLE_FOLDED, TEXT_FOLDED)
NAME_KEYS = "name_keys"
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


def name_words(names: Iterable[str], separator: re.Pattern[str] | None = None) -> list[str]:
    """Every word of every name, as written (lowercased) and folded, once each; with a
    separator, also the words it makes of them, as a query makes them (`@RTenfrancais`
    is one word to it, `rtenfrancais` to the others)."""
    words: dict[str, None] = {}
    for name in names:
        words.update(dict.fromkeys(_WORD.findall(str(name).lower())))
        words.update(dict.fromkeys(fold(str(name)).split()))
        if separator is not None:
            words.update(dict.fromkeys(tokens(str(name), separator)))
            words.update(dict.fromkeys(name_key(str(name), separator).split()))
    return list(words)


def name_key(text: str, separator: re.Pattern[str]) -> str:
    """A name as a whole query is compared with it: its words lowercased, split on the
    separator and accent-folded, one space apart (`Al-Qaïda` -> `al qaida`). The search
    worker computes the same from the query (its `nameKey`), so both must fold alike:
    NFKD, then every mark dropped, as JavaScript's `/\\p{M}/gu` drops them."""
    return " ".join(_without_marks(word) for word in separator.split(text.lower()) if word)


def _without_marks(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))


def other_name_keys(title: str, names: Iterable[str], separator: re.Pattern[str]) -> list[str]:
    """The keys of an entity's names but its title's (which the search computes itself)."""
    keys = dict.fromkeys(name_key(str(name), separator) for name in names)
    keys.pop(name_key(title, separator), None)
    keys.pop("", None)
    return list(keys)


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
            names = names_by_page[location]
            doc[NAMES] = " ".join(name_words(names, separator))
            keys = other_name_keys(doc.get("title", ""), names, separator)
            if keys:
                doc[NAME_KEYS] = keys
    return data
