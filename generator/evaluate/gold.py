"""Gold: the hand annotation that `dossier evaluate` measures extraction against, read
from its file, and the search for its surfaces in the article text.

Gold format (`tests/gold/seeds.yml`): under `articles`, per article file, a list of
`entities`, each with a canonical `name`, a `type` and the `surface` forms that refer to it
in that article, as written there; gold entities with the same name in several articles
are one entity. An entry marked `optional: true` (a generic body, a debatable span) is
neither required nor held against precision. An article may also list `events`: `what`
happened, `where` (place names) and `when` (a date, or null).

How a gold surface is found in the text: the surface and the article text are folded the
same way, one character to one so that offsets stay valid (case, accents, typographic
quotes and apostrophes, punctuation and hyphens), and the surface is looked up as whole
words, any run of spaces matching the spaces between its words.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import yaml

from generator.nlp.mentions import TYPES
from generator.text import normalise_typography


class GoldError(ValueError):
    """A gold file that cannot be read; the message names the file."""


@dataclass(frozen=True)
class GoldEntity:
    """An entity of the gold file, with its surfaces in every article that names it."""

    name: str
    type: str
    surfaces: tuple[tuple[str, str], ...]  # (article filename, surface as written)
    optional: bool = False  # every entry of it is `optional: true`

    @property
    def is_alias_group(self) -> bool:
        return len({fold_aligned(s).strip() for _, s in self.surfaces}) > 1


class _Slot(TypedDict):
    """A gold entity while the articles are read: its type and the surfaces so far."""

    type: str
    surfaces: list[tuple[str, str]]
    optional: bool


def load_gold(path: Path) -> list[GoldEntity]:
    """The gold entities of a gold file, by name; `GoldError` if it cannot be read."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise GoldError(f"{path}: cannot read gold file: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("articles"), dict):
        raise GoldError(f"{path}: expected a mapping `articles: {{file: {{entities: [...]}}}}`")
    merged: dict[str, _Slot] = {}
    for filename, article in sorted(data["articles"].items()):
        for entry in (article or {}).get("entities") or []:
            name, kind = entry.get("name"), entry.get("type")
            if not name or kind not in TYPES:
                raise GoldError(f"{path}: {filename}: bad entity {entry!r}")
            slot = merged.setdefault(name, {"type": kind, "surfaces": [], "optional": True})
            slot["optional"] = slot["optional"] and entry.get("optional") is True
            if slot["type"] != kind:
                raise GoldError(f"{path}: {name!r} has two types ({slot['type']}, {kind})")
            slot["surfaces"].extend((filename, str(s)) for s in entry.get("surface") or [name])
    return [
        GoldEntity(name, slot["type"], tuple(dict.fromkeys(slot["surfaces"])), slot["optional"])
        for name, slot in sorted(merged.items())
    ]


def fold_aligned(text: str) -> str:
    """Fold case, accents and punctuation one character to one, keeping offsets valid."""
    out = []
    for char in normalise_typography(text):
        base = unicodedata.normalize("NFD", char)[:1].lower()
        out.append(base if len(base) == 1 and base.isalnum() else " ")
    return "".join(out)


def surface_pattern(surface: str) -> re.Pattern[str]:
    """A surface as whole words, to search in folded text (see `fold_aligned`)."""
    words = fold_aligned(surface).split()
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)")


def occurrences(surface: str, paragraphs: Iterable[str]) -> list[tuple[int, int, int]]:
    """(paragraph, start, end) of every whole-word occurrence of a surface."""
    pattern = surface_pattern(surface)
    return [
        (index, match.start(), match.end())
        for index, paragraph in enumerate(paragraphs)
        for match in pattern.finditer(fold_aligned(paragraph))
    ]


@dataclass(frozen=True)
class GoldEvent:
    """An event of the gold file: the article that tells it, what, where and when."""

    filename: str
    what: str
    where: tuple[str, ...]
    when: dt.date | None
    figures: tuple[int, ...] = ()  # the whole-number values of its `figures`


def load_gold_events(path: Path) -> list[GoldEvent]:
    """The gold events of a gold file, in article order (none if it lists none)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    events = []
    for filename, article in sorted((data.get("articles") or {}).items()):
        for entry in (article or {}).get("events") or []:
            when = entry.get("when")
            if when is not None and not isinstance(when, dt.date):
                raise GoldError(f"{path}: {filename}: event date {when!r} is not YYYY-MM-DD")
            where = tuple(str(w) for w in entry.get("where") or [])
            figures = tuple(
                value
                for figure in entry.get("figures") or []
                for key, value in (figure or {}).items()
                if key != "said_by" and isinstance(value, int) and not isinstance(value, bool)
            )
            events.append(GoldEvent(filename, str(entry.get("what", "")), where, when, figures))
    return events
