"""The words extraction and resolution know: titles, leading words, rejected names, the
cues that type a name by the words before it (lexicon.yml), and the known organisations
(KNOWN_FILES: armed groups and NGOs, international organisations, institutions named by
their seat and news media), read from the package's data folder."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import NotRequired, TypedDict, cast

import yaml

from generator.text import fold


class KnownOrganisation(TypedDict):
    """An entry of organisations.yml, or a generic body that resolution found."""

    name: str
    type: str
    aliases: list[str]
    kind: NotRequired[str]  # a generic body's kind (`aviation`)


@dataclass(frozen=True)
class Lexicon:
    """Folded words and patterns of lexicon.yml."""

    titles: tuple[str, ...]
    leading_words: frozenset[str]
    rejected: frozenset[str]
    cues: tuple[tuple[str, re.Pattern[str]], ...] = ()  # (type, pattern on folded text)
    place_prepositions: frozenset[str] = frozenset()
    not_places: frozenset[str] = frozenset()  # never a gazetteer place when alone


def load_lexicon() -> Lexicon:
    data = yaml.safe_load(_data_text("lexicon.yml"))
    titles = sorted({fold(t) for t in data["titles"]}, key=lambda t: (-len(t), t))
    return Lexicon(
        titles=tuple(titles),
        leading_words=frozenset(fold(w) for w in data["leading_words"]),
        rejected=frozenset(fold(w) for w in data["rejected"]),
        cues=(
            ("place", _cue_pattern(data["place_cues"], linked=True)),
            ("organisation", _cue_pattern(data["organisation_cues"], linked=True)),
            ("person", _cue_pattern([*data["titles"], *data["person_cues"]], linked=False)),
        ),
        place_prepositions=frozenset(data["place_prepositions"]),
        not_places=frozenset(fold(w) for w in data.get("not_places", ())),
    )


def _cue_pattern(words: Iterable[str], linked: bool) -> re.Pattern[str]:
    """Folded text that ends with one of the words (then `de`, `des`, `of`...)."""
    alternatives = "|".join(sorted({re.escape(fold(w)) for w in words}, key=len, reverse=True))
    link = r"(?:\s+(?:de|d|du|des|de la|de l|of|of the))?" if linked else ""
    return re.compile(rf"(?:^|\s)(?:{alternatives}){link}\s*$")


KNOWN_FILES = ("organisations.yml", "international_organisations.yml", "institutions.yml")


def load_known_organisations() -> list[KnownOrganisation]:
    """The known organisations: each a `name`, a `type` and its `aliases`."""
    known: list[KnownOrganisation] = []
    for name in KNOWN_FILES:
        known.extend(cast("list[KnownOrganisation]", yaml.safe_load(_data_text(name))))
    return known


def _data_text(name: str) -> str:
    """The text of a file of the package's data folder."""
    return resources.files("generator").joinpath("data", name).read_text(encoding="utf-8")
