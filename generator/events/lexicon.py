"""The event lexicon: what `data/events.yml` says about events, read once.

Event types and their triggers (`frappe aérienne`, `attentat`...), the phrases in which a
trigger word is not one, the figure patterns (`39 morts`, `a tué 52 personnes`), the
words that introduce a claimant (`selon`), the nouns after which a place names an actor
(`le gouvernement de Damas`) and the speech verbs whose subject is a speaker.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TypedDict

import yaml

from generator.nlp.lexicon import _data_text
from generator.text import fold

ACTOR_TYPES = ("organisation", "person")


STATEMENT = "statement"  # a trigger type that owns only its speaker, see `owning_trigger`


class EventType(TypedDict):
    """An entry of `types:`: the page label, the closest ACLED category, the triggers."""

    label: str
    acled: str
    triggers: list[str]


class FigureRule(TypedDict, total=False):
    """An entry of `figures:`: `after` and `verbs` for counts of people, `units` for area."""

    after: list[str]
    verbs: list[str]
    units: list[str]


@dataclass(frozen=True)
class EventLexicon:
    types: dict[str, EventType]  # type -> {label, acled, triggers}
    not_triggers: tuple[str, ...]
    figures: dict[str, FigureRule]
    people: tuple[str, ...]
    number_words: dict[str, int]  # `quarante` -> 40
    claim_markers: tuple[str, ...]
    metonymy_heads: frozenset[str]
    speech_verbs: frozenset[str]
    trigger_forms: tuple[str, ...] = ()  # every trigger, casefolded

    def label(self, kind: str) -> str:
        entry = self.types.get(kind)
        return entry.get("label", kind) if entry is not None else kind

    def mentioned_in(self, text: str) -> bool:
        """Whether the text holds a trigger word (a cheap test before parsing)."""
        low = text.casefold()
        return any(form in low for form in self.trigger_forms)


@lru_cache(maxsize=1)
def load_event_lexicon() -> EventLexicon:
    data = yaml.safe_load(_data_text("events.yml"))
    return EventLexicon(
        types=data["types"],
        not_triggers=tuple(data.get("not_triggers", ())),
        figures=data["figures"],
        people=tuple(data["people"]),
        number_words={str(k).casefold(): int(v) for k, v in data["number_words"].items()},
        claim_markers=tuple(fold(m) for m in data["claim_markers"]),
        metonymy_heads=frozenset(fold(w) for w in data["metonymy_heads"]),
        speech_verbs=frozenset(fold(w) for w in data["speech_verbs"]),
        trigger_forms=tuple(
            sorted({t.casefold() for entry in data["types"].values() for t in entry["triggers"]})
        ),
    )
