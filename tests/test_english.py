"""English articles: with the English model (a dependency) they get its NER; with a model
that is not installed they go through the rules-only pipeline, never the French model,
with one warning per build. Either way their places join the French ones through the
gazetteer (`Mossoul` = `Mosul`)."""

from __future__ import annotations

import dataclasses
import logging
from functools import partial
from pathlib import Path

import pytest
import spacy

from generator.nlp.mentions import extract_mentions
from generator.nlp.pipeline import load_rules_pipeline
from generator.resolve.gazetteer import load_gazetteer
from tests.factories import article as make_article
from tests.pipeline_runs import generate, make_dossier

pytestmark = pytest.mark.slow

article = partial(make_article, language="en")

ENGLISH_ARTICLES = Path(__file__).parent / "english"
TEXT = (
    "Iraqi F-16 jets struck Islamic State positions in Syria on Friday, Prime Minister "
    "Haider al-Abadi said in Baghdad. Police said a car bomb killed 39 people in Mosul. "
    "Since March, the Iraqi army and the Popular Mobilization Forces have retaken Tal Afar "
    "and Deir ez-Zor. Reading the statement, spokesman Ahmed Hassan told Reuters that "
    "ISIS lost Raqqa."
)
FRENCH_ARTICLE = (
    "Frappes sur Mossoul\n\n"
    "Le 24 février 2017, des frappes aériennes de la coalition ont visé les positions de "
    "Daech à Mossoul, a annoncé le gouvernement à Bagdad.\n"
)


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def test_the_french_model_on_english_text_is_garbage(nlp):
    """Why English articles never go through the French model."""
    found = {(m.text, m.type) for m in extract_mentions([article(TEXT)], nlp)}
    assert ("Police said", "organisation") in found
    assert not {"Mosul", "Baghdad", "Syria"} & {text for text, _ in found}


def test_english_text_gets_gazetteer_places_and_known_names(gazetteer):
    nlp = load_rules_pipeline("en", gazetteer)
    mentions = extract_mentions([article(TEXT)], nlp)
    found = {(m.text, m.type, m.origin, m.evidence) for m in mentions}
    assert {
        ("Syria", "place", "gazetteer", "gazetteer:Syria"),
        ("Baghdad", "place", "gazetteer", "gazetteer:Baghdad"),
        ("Mosul", "place", "gazetteer", "gazetteer:Mosul"),
        ("Deir ez-Zor", "place", "gazetteer", "gazetteer:Deir ez-Zor"),
        ("Raqqa", "place", "gazetteer", "gazetteer:Ar Raqqah"),
        ("Islamic State", "organisation", "ruler", "known:Daech"),
        ("ISIS", "organisation", "ruler", "known:Daech"),
        ("Popular Mobilization Forces", "organisation", "ruler", "known:Hachd al-Chaabi"),
        ("Iraqi army", "organisation", "ruler", "body"),
        ("Reuters", "organisation", "ruler", "known:Reuters"),
    } == found
    # no statistical NER at all: `Police`, `Reading` (towns), `Hassan` (a town, here
    # part of a name) are not places, and nothing is typed a person by guesswork
    assert {m.origin for m in mentions} == {"gazetteer", "ruler"}


def test_curated_names_are_found_in_english_text(gazetteer):
    curated = [{"name": "Haïder al-Abadi", "type": "person", "aliases": ["Haider al-Abadi"]}]
    nlp = load_rules_pipeline("en", gazetteer, curated)
    found = {(m.text, m.type, m.origin) for m in extract_mentions([article(TEXT)], nlp)}
    assert ("Haider al-Abadi", "person", "curated") in found


def project_files() -> dict[str, str]:
    files = {"fr.txt": FRENCH_ARTICLE}
    for path in sorted(ENGLISH_ARTICLES.iterdir()):
        files[path.name] = path.read_text(encoding="utf-8")
    return files


MISSING_MODEL = "en_core_web_missing"  # an English model that is not installed


@pytest.fixture(scope="module")
def english_project(make_project):
    """The English articles, extracted as if the English model were not installed."""
    return dataclasses.replace(make_project(project_files()), english_model=MISSING_MODEL)


@pytest.fixture(scope="module")
def english_model_project(make_project):
    """The same articles with the default English model, which is installed."""
    return make_project(project_files())


def test_a_build_with_english_articles(english_project, caplog):
    with caplog.at_level(logging.WARNING, logger="generator.pipeline"):
        dossier, report = generate(english_project)
    warnings = [r.getMessage() for r in caplog.records if "English article" in r.getMessage()]
    assert len(warnings) == 1 and report.extraction.warnings == warnings
    assert warnings[0].startswith(
        "2 English article(s) (iraq-strikes.md, mosul-battle.txt) extracted without an "
        f"English model: {MISSING_MODEL} is not installed"
    )
    languages = {a.filename: (a.language, a.language_basis) for a in dossier.articles}
    assert languages == {
        "fr.txt": ("fr", "detected"),
        "iraq-strikes.md": ("en", "declared"),
        "mosul-battle.txt": ("en", "detected"),
    }
    source = english_project.content_dir / "sources" / "mosul-battle.md"
    assert "| Langue | en (détectée) |" in source.read_text(encoding="utf-8")

    english = {"iraq-strikes", "mosul-battle"}
    origins = {
        linked.mention.origin for slug in english for linked in dossier.mentions_by_article[slug]
    }
    assert origins == {"gazetteer", "ruler"}
    assert not [e for e in dossier.entities if e.type == "person"]
    # events need a parser: the French one never reads English text
    assert dossier.events and all(set(e.articles) == {"fr"} for e in dossier.events)


def test_french_and_english_names_of_one_place_are_one_page(english_project):
    dossier = make_dossier(english_project)
    for french, english in (("Mossoul", "Mosul"), ("Bagdad", "Baghdad")):
        pages = [e for e in dossier.entities if {french, english} & set(e.aliases)]
        assert len(pages) == 1
        assert {french, english} == set(pages[0].aliases)
        assert {m.article for m in pages[0].mentions} >= {"fr", "iraq-strikes", "mosul-battle"}
        assert pages[0].country == "IQ"
    daech = [e for e in dossier.entities if e.name == "Daech"]
    assert {"Daech", "Daesh", "ISIS", "Islamic State"} <= set(daech[0].aliases)


def tiny_english_model(folder: Path) -> Path:
    """A real (if tiny) English pipeline folder whose `ner` is a ruler: what an installed
    English model gives, without downloading one."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns(  # type: ignore[attr-defined]
        [{"label": "PERSON", "pattern": "Ahmed Hassan"}, {"label": "GPE", "pattern": "Mosul"}]
    )
    nlp.to_disk(folder)
    return folder


def test_once_an_english_model_is_there_english_articles_are_extracted_again(
    make_project, tmp_path, caplog
):
    settings = dataclasses.replace(make_project(project_files()), english_model=MISSING_MODEL)
    first = make_dossier(settings)
    assert "Ahmed Hassan" not in {e.name for e in first.entities}
    model = tiny_english_model(tmp_path / "en_tiny")
    with_model = dataclasses.replace(settings, english_model=str(model))
    stats = generate(with_model)[1].extraction
    assert (stats.extracted, stats.cached, stats.warnings) == (2, 1, [])
    dossier = make_dossier(with_model)
    people = [e for e in dossier.entities if e.type == "person"]
    assert [(e.name, [m.origin for m in e.mentions]) for e in people] == [
        ("Ahmed Hassan", ["model"])
    ]
    mosul = [e for e in dossier.entities if "Mosul" in e.aliases]
    assert len(mosul) == 1 and "Mossoul" in mosul[0].aliases
    assert {m.origin for m in mosul[0].mentions} == {"model"}  # no gazetteer ruler here


def test_the_default_english_model_finds_people_and_organisations(english_model_project, caplog):
    with caplog.at_level(logging.WARNING, logger="generator.pipeline"):
        dossier, report = generate(english_model_project)
    assert report.extraction.warnings == []
    linked = [
        x for slug in ("iraq-strikes", "mosul-battle") for x in dossier.mentions_by_article[slug]
    ]
    found = {(x.mention.text, x.entity.type, x.mention.origin) for x in linked}
    assert {
        ("Haider al-Abadi", "person", "model"),  # the rules-only pipeline finds no people
        ("Ahmed Hassan", "person", "model"),
        ("Baghdad", "place", "model"),
        ("Reuters", "organisation", "ruler"),
    } <= found


def test_an_english_paragraph_of_a_french_article_gets_the_english_model(make_project):
    """A French article that quotes an English statement in full: the French model never
    reads that paragraph (it would find `Police said`), the English one does."""
    mixed = FRENCH_ARTICLE + "\n" + TEXT + "\n"
    dossier = make_dossier(make_project({"mixed.txt": mixed}))
    (article,) = dossier.articles
    assert (article.language, article.other_languages) == ("fr", ((1, "en"),))
    linked = dossier.mentions_by_article["mixed"]
    english = {(x.mention.text, x.mention.origin) for x in linked if x.mention.paragraph == 1}
    assert {("Haider al-Abadi", "model"), ("Ahmed Hassan", "model")} <= english
    assert "Police said" not in {text for text, _ in english}
    french = {x.mention.text for x in linked if x.mention.paragraph == 0}
    assert {"Mossoul", "Bagdad"} <= french
