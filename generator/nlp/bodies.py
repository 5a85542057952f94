"""Generic organisations: a kind of body and a nationality (`armée irakienne`, `Iraqi army`).

Read from `data/generic_organisations.yml`. Extraction turns the data into entity-ruler
patterns; resolution turns every form of one body into one canonical name, in French
(`forces irakiennes`, `troupes irakiennes`, `Iraqi army` -> `armée irakienne`).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from spacy.language import Language

from generator.text import fold

BODY_ID = "body"  # the entity-ruler id of generic body patterns
BARE_ID = "bare"
MINISTRY_ID = "ministry"


@dataclass(frozen=True)
class Bodies:
    canonical: dict[str, str]  # folded form with nationality -> canonical name
    kinds: dict[str, str]  # canonical name -> kind of body (`aviation`)
    bare: dict[str, str]  # folded bare form -> kind of body
    data: dict[str, Any]  # generic_organisations.yml

    def canonical_name(self, surface: str) -> str | None:
        """`les forces irakiennes` -> `armée irakienne`; None when not a generic body."""
        key = fold(surface)
        for article in ("les ", "la ", "le ", "l ", "the "):
            if key.startswith(article):
                key = key[len(article) :]
                break
        return self.canonical.get(key)

    def bare_kind(self, surface: str) -> str | None:
        key = fold(surface)
        for article in ("la ", "le ", "l ", "les ", "the "):
            if key.startswith(article):
                key = key[len(article) :]
                break
        return self.bare.get(key)


def load_bodies() -> Bodies:
    text = resources.files("generator").joinpath("data", "generic_organisations.yml")
    data = yaml.safe_load(text.read_text(encoding="utf-8"))
    canonical: dict[str, str] = {}
    kinds: dict[str, str] = {}
    bare: dict[str, str] = {}
    for body in data["bodies"]:
        for nationality in data["nationalities"]:
            name = f"{body['name']} {nationality['fem']}"
            kinds[name] = body["name"]
            for form in body["forms"]:
                for adjective in (nationality["fem"], *nationality["forms"]):
                    canonical[fold(f"{form} {adjective}")] = name
            for form in body.get("en", []):
                canonical[fold(f"{nationality['en']} {form}")] = name
        for form in body.get("bare", []):
            bare[fold(form)] = body["name"]
    return Bodies(canonical, kinds, bare, data)


def body_patterns(nlp: Language, bodies: Bodies) -> list[dict[str, Any]]:
    """Entity-ruler token patterns for bodies, bare bodies and ministries."""
    data = bodies.data

    def tokens(text: str) -> list[dict[str, Any]]:
        return [{"LOWER": token.lower_} for token in nlp.make_doc(text)]

    french = sorted({a for n in data["nationalities"] for a in (n["fem"], *n["forms"])})
    english = sorted({n["en"] for n in data["nationalities"]})
    adjective: dict[str, Any] = {"LOWER": {"IN": french}}
    english_adjective: dict[str, Any] = {"TEXT": {"IN": english}}
    patterns: list[dict[str, Any]] = []
    for body in data["bodies"]:
        for form in body["forms"]:
            patterns.append(_org([*tokens(form), adjective], BODY_ID))
        for form in body.get("en", []):
            patterns.append(_org([english_adjective, *tokens(form)], BODY_ID))
        for form in body.get("bare", []):
            patterns.append(_org(tokens(form), BARE_ID))
    ministries = data["ministries"]
    for portfolio in ministries["portfolios"]:
        for link in ("de", "des", "du", "de la", "de l'"):
            head = [{"LOWER": "ministère"}, {**adjective, "OP": "?"}, *tokens(link)]
            patterns.append(_org([*head, *_exact(nlp, portfolio)], MINISTRY_ID))
    for portfolio in ministries["en_portfolios"]:
        head = [{**english_adjective, "OP": "?"}, {"LOWER": "ministry"}, {"LOWER": "of"}]
        patterns.append(_org([*head, *_exact(nlp, portfolio)], MINISTRY_ID))
    return patterns


def _exact(nlp: Language, text: str) -> list[dict[str, Any]]:
    return [{"TEXT": token.text} for token in nlp.make_doc(text)]


def _org(pattern: list[dict[str, Any]], pattern_id: str) -> dict[str, Any]:
    return {"label": "ORG", "pattern": pattern, "id": pattern_id}
