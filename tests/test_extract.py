"""Extraction with the real model: rulers, context cues, prefixes, handles."""

from __future__ import annotations

import pytest

from generator.nlp.mentions import extract_mentions
from tests.factories import article

pytestmark = pytest.mark.slow


def found(nlp, *paragraphs):
    return {(m.text, m.type, m.origin) for m in extract_mentions([article(*paragraphs)], nlp)}


def test_generic_bodies_and_ministries_are_organisations(nlp):
    mentions = found(
        nlp,
        "Une source proche du ministère syrien des Affaires étrangères a indiqué que "
        "l'armée syrienne et les forces irakiennes avancent.",
    )
    assert {
        ("ministère syrien des Affaires étrangères", "organisation", "ruler"),
        ("armée syrienne", "organisation", "ruler"),
        ("forces irakiennes", "organisation", "ruler"),
    } <= mentions


def test_context_cues_type_names_the_model_gets_wrong(nlp):
    mentions = extract_mentions(
        [article("L'armée a libéré deux autres localités de Masskana et Al Khafassa.")], nlp
    )
    typed = {m.text: (m.type, m.evidence) for m in mentions}
    assert typed["Masskana"][0] == "place" and "localites de" in typed["Masskana"][1]
    assert typed["Al Khafassa"][0] == "place" and "listed with" in typed["Al Khafassa"][1]


def test_a_name_after_anti_is_a_mention(nlp):
    mentions = extract_mentions([article("Les opérations anti-Daech se poursuivent.")], nlp)
    assert [(m.text, m.start) for m in mentions] == [("Daech", 20)]


def test_a_handle_after_a_name_is_a_mention_of_the_same_type(nlp):
    mentions = found(nlp, "— RT France (@RTenfrancais) 16 février 2017")
    assert ("@RTenfrancais", "organisation", "ruler") in mentions
