"""A build reads each model once (its extraction pipeline and tokenizer are made of its
parse pipeline's parts), and a process that builds twice (`dossier serve`, the tests)
loads its models once: the extraction pipelines, the events' parser and the language
identifier are kept, and made again only when what they are made of changes. The MkDocs
build never imports spaCy."""

from __future__ import annotations

import subprocess
import sys

import pytest

from generator.cache.store import extraction_version
from generator.nlp import pipeline as nlp_pipeline
from generator.nlp.executors import Recipe, kept_pipeline
from generator.nlp.languages import LanguageDetector, Setup
from generator.nlp.pipeline import DEFAULT_MODEL, keep_models, load_pipeline, models_read_once
from generator.resolve.gazetteer import load_gazetteer
from tests.pipeline_runs import generate

from .conftest import ROOT

FIRST = "Frappes à Mossoul\n\nLe ministre Haïder al-Abadi s'est rendu à Mossoul le 3 mars 2017.\n"
SECOND = "Combats à Alep\n\nL'armée syrienne a repris le quartier de Hanano à Alep.\n"


def rules_recipe(curated: tuple[dict[str, object], ...] = ()) -> Recipe:
    setup = Setup("fr", "no_such_model", installed=False)
    return Recipe(setup, curated, extraction_version(setup.key, list(curated)))


def test_a_recipe_of_the_same_version_gets_the_same_pipeline():
    gazetteer = load_gazetteer()
    first = kept_pipeline(rules_recipe(), gazetteer)
    assert kept_pipeline(rules_recipe(), gazetteer) is first


def test_a_single_build_keeps_no_pipeline():
    gazetteer = load_gazetteer()
    keep_models(False)
    try:
        first = kept_pipeline(rules_recipe(), gazetteer)
        assert kept_pipeline(rules_recipe(), gazetteer) is not first
    finally:
        keep_models()


def test_other_curated_names_make_another_pipeline():
    gazetteer = load_gazetteer()
    plain = kept_pipeline(rules_recipe(), gazetteer)
    curated = ({"name": "Abou Kamal", "type": "place", "aliases": ["Abou Kamal"]},)
    other = kept_pipeline(rules_recipe(curated), gazetteer)
    assert other is not plain
    assert "curated_ruler" in other.pipe_names and "curated_ruler" not in plain.pipe_names


def test_detectors_share_one_identifier():
    one, two = LanguageDetector(), LanguageDetector()
    assert one.detect("Le ministre a annoncé hier soir que les forces irakiennes " * 2) == "fr"
    assert two._loaded() is one._loaded()


@pytest.fixture
def loads(monkeypatch) -> list[str]:
    """The models `spacy.load` reads from now on, in order (the real function, watched)."""
    read: list[str] = []
    load = nlp_pipeline.spacy.load

    def counted(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        read.append(str(name))
        return load(name, *args, **kwargs)

    monkeypatch.setattr(nlp_pipeline.spacy, "load", counted)
    return read


@pytest.mark.slow
def test_a_second_build_of_other_articles_loads_no_model(make_project, loads):
    first = generate(make_project({"first.txt": FIRST}))[1]
    loaded_by_first = list(loads)
    second = generate(make_project({"second.txt": SECOND}))[1]
    assert (first.extraction.extracted, second.extraction.extracted) == (1, 1)
    assert (first.extraction.parsed, second.extraction.parsed) == (1, 1)
    assert loads == loaded_by_first  # nothing loaded again for the second build


@pytest.mark.slow
def test_a_single_build_reads_each_model_once_then_lets_it_go(make_project, loads):
    """Extraction, dates and parses of one build from one `spacy.load` of the model (it
    was three); the next single build reads it again."""
    keep_models(False)
    try:
        report = generate(make_project({"first.txt": FIRST}))[1]
        assert (report.extraction.extracted, report.extraction.parsed) == (1, 1)
        assert loads == [DEFAULT_MODEL]
        generate(make_project({"second.txt": SECOND}))
        assert loads == [DEFAULT_MODEL] * 2
        with models_read_once():
            made_of_parts = load_pipeline().pipe_names
        assert made_of_parts == load_pipeline().pipe_names  # as read alone, parser left out
    finally:
        keep_models()


def test_the_mkdocs_build_does_not_import_spacy():
    imports = "import sys, generator.site.mkdocs_build, generator.site.mkdocs_plugin"
    check = f"{imports}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'spacy'))"
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
