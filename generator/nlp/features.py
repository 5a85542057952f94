"""Features named after a place (data/features.yml): a power plant, a region, an airport
or a dam is an entity of its own, not the place whose name it carries.

Extraction widens a place's mention to the feature's words (`Zaporijjia` in `la
centrale nucléaire de Zaporijjia` becomes `centrale nucléaire de Zaporijjia`); resolution
keys the mention on the kind and the place (`Features.split`), so that the French and
English names of one feature are one entity and the city stays another."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

FEATURE_EVIDENCE = "feature: "  # a mention's evidence when it names a feature: + the kind


def feature_evidence(kind: str) -> str:
    return f"{FEATURE_EVIDENCE}{kind}"


@dataclass(frozen=True)
class Feature:
    kind: str
    apart: str  # when it is an entity apart from its place: always, city, not_country, never
    before: re.Pattern[str]  # the feature's words, ending where the name starts
    after: re.Pattern[str]  # the feature's words, starting where the name ends
    prefixed: re.Pattern[str]  # a whole name made of the words before, then the place
    suffixed: re.Pattern[str]  # a whole name made of the place, then the words after
    listed_before: re.Pattern[str] | None = None  # `régions de A, B et` before a name
    listed_after: re.Pattern[str] | None = None  # `, B and C regions` after a name

    def is_apart(self, place_kind: str | None) -> bool:
        """Whether the feature is an entity apart from its place, a gazetteer place of
        that kind (None: a name the gazetteer does not know)."""
        if self.apart == "city":
            return place_kind == "city"
        if self.apart == "not_country":
            return place_kind not in ("country", "continent")
        return self.apart == "always"

    def place_name(self, surface: str) -> str | None:
        """The place's name in the name of this feature, or None if it is not one."""
        match = self.prefixed.match(surface) or self.suffixed.match(surface)
        return match.group("name") if match else None


@dataclass(frozen=True)
class Features:
    features: tuple[Feature, ...]

    def widen(self, text: str, start: int, end: int) -> tuple[int, int, Feature] | None:
        """The bounds of the feature named after the name at text[start:end], if any."""
        for feature in self.features:
            before = feature.before.search(text, 0, start)
            if before is not None:
                return before.start(), end, feature
            after = feature.after.match(text, end)
            if after is not None:
                return start, after.end(), feature
        return None

    def listed(self, text: str, start: int, end: int) -> Feature | None:
        """The feature a name is one of, in a list that names the feature once in the
        plural (`the Luhansk, Donetsk and Zaporizhzhia regions`); the span stays."""
        for feature in self.features:
            if feature.listed_after and feature.listed_after.match(text, end):
                return feature
            if feature.listed_before and feature.listed_before.search(text, 0, start):
                return feature
        return None

    def split(self, surface: str) -> tuple[Feature, str] | None:
        """(the feature, the place's name) of a feature's name, or None."""
        for feature in self.features:
            name = feature.place_name(surface)
            if name:
                return feature, name
        return None

    def of_mention(self, surface: str, evidence: str) -> tuple[Feature, str] | None:
        """(the feature, the place's name) of a mention: from its words, else from the
        evidence extraction gave it (`Zaporizhzhia` of `the ... Zaporizhzhia regions`)."""
        split = self.split(surface)
        if split is not None or not evidence.startswith(FEATURE_EVIDENCE):
            return split
        kind = evidence.removeprefix(FEATURE_EVIDENCE)
        listed = next((f for f in self.features if f.kind == kind), None)
        return None if listed is None else (listed, surface)


_NAME = r"(?-i:[A-ZÀ-Ý][\w'’-]*(?:\s+[A-ZÀ-Ý][\w'’-]*)*)"  # a capitalised name, of a list
_CONTEXT = re.compile(r"^\((\w+)\)\s+")  # `(la) centrale de`: `la` before, not in the name


def _phrase(phrase: str, in_text: bool) -> str:
    context = _CONTEXT.match(phrase)
    words = phrase[context.end() :] if context else phrase
    pattern = re.escape(words).replace("'", "['’]").replace(r"\ ", r"\s+")
    if context and in_text:
        pattern = rf"(?<=\b{re.escape(context.group(1))}\s){pattern}"
    return pattern


def _alternatives(phrases: list[str], in_text: bool = False) -> str:
    patterns = sorted((_phrase(p, in_text) for p in phrases), key=len, reverse=True)
    return "(?:" + "|".join(patterns) + ")"


def _feature(entry: dict[str, Any]) -> Feature:
    before, after = _alternatives(entry["before"]), _alternatives(entry["after"])
    in_text = _alternatives(entry["before"], in_text=True)
    flags = re.IGNORECASE
    link = r"\s*(?:,|\bet\b|\band\b)\s*"  # between the names of a list
    listed_before = listed_after = None
    if entry.get("listed_before"):
        words = _alternatives(entry["listed_before"])
        listed_before = re.compile(rf"(?<!\w){words}\s*(?:{_NAME}{link})*\Z", flags)
    if entry.get("listed_after"):
        words = _alternatives(entry["listed_after"])
        listed_after = re.compile(rf"(?:{link}{_NAME})*\s+{words}(?!\w)", flags)
    return Feature(
        kind=str(entry["kind"]),
        apart=str(entry["apart"]),
        before=re.compile(rf"(?<!\w){in_text}\s*\Z", flags),
        after=re.compile(rf"\s+{after}(?!\w)", flags),
        prefixed=re.compile(rf"{before}\s*(?P<name>\w.*)\Z", flags),
        suffixed=re.compile(rf"(?P<name>.*\w)\s+{after}\Z", flags),
        listed_before=listed_before,
        listed_after=listed_after,
    )


@cache
def load_features() -> Features:
    text = resources.files("generator").joinpath("data", "features.yml").read_text("utf-8")
    return Features(tuple(_feature(entry) for entry in yaml.safe_load(text)))
