"""The extraction cache: a rebuild makes no model call, a new article is the only one
extracted, and a change of model or configuration extracts everything again."""

from __future__ import annotations

import dataclasses

import pytest

from generator.build import generate
from generator.cache import ExtractionCache, ExtractionStats, extract_cached, extraction_version
from generator.extract import DEFAULT_MODEL, extract_mentions
from generator.ingest import read_articles

from .conftest import SEEDS

pytestmark = pytest.mark.slow

THIRD = (
    "Un troisième article\n"
    "Le ministre Hassan Khoury s'est rendu à Mossoul avec des responsables de l'ONU.\n"
)


class CountingLoader:
    """Hands out the real pipeline and counts how often the build asked for it."""

    def __init__(self, nlp) -> None:
        self.nlp, self.calls = nlp, 0

    def __call__(self):
        self.calls += 1
        return self.nlp


def run(articles, cache, nlp):
    stats, loader = ExtractionStats(), CountingLoader(nlp)
    mentions = extract_cached(articles, loader, cache, stats)
    return mentions, stats, loader.calls


@pytest.fixture
def seeds():
    return read_articles(SEEDS).articles


@pytest.fixture
def cache(tmp_path):
    return ExtractionCache(tmp_path / "cache", extraction_version(DEFAULT_MODEL, []))


def test_rebuild_makes_no_model_call(seeds, cache, nlp):
    first, stats, loads = run(seeds, cache, nlp)
    assert (stats.extracted, stats.cached, loads) == (2, 0, 1)
    again, stats, loads = run(seeds, cache, nlp)
    assert (stats.extracted, stats.cached, loads) == (0, 2, 0)
    assert again == first == extract_mentions(seeds, nlp)


def test_adding_one_article_extracts_only_that_one(seeds, cache, nlp, tmp_path):
    run(seeds, cache, nlp)
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in SEEDS.glob("*.txt"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "002_new.txt").write_text(THIRD, encoding="utf-8")
    articles = read_articles(folder).articles
    mentions, stats, _ = run(articles, cache, nlp)
    assert (stats.extracted, stats.cached) == (1, 2)
    assert mentions == extract_mentions(articles, nlp)
    assert {"Hassan Khoury", "Mossoul"} <= {m.text for m in mentions if m.article == "002-new"}


def test_a_renamed_article_keeps_its_mentions_under_its_new_name(seeds, cache, nlp):
    run(seeds, cache, nlp)
    renamed = [dataclasses.replace(a, slug=f"renamed-{a.slug}") for a in seeds]
    mentions, stats, _ = run(renamed, cache, nlp)
    assert stats.extracted == 0
    assert {m.article for m in mentions} == {a.slug for a in renamed}


def test_changing_the_model_or_the_configuration_extracts_again(seeds, cache, nlp, tmp_path):
    run(seeds, cache, nlp)
    curated = [{"name": "Abou Kamal", "type": "place", "aliases": ["Albou Kamal"]}]
    versions = {
        cache.version,
        extraction_version("fr_core_news_sm", []),
        extraction_version(DEFAULT_MODEL, curated),
    }
    assert len(versions) == 3
    for version in versions - {cache.version}:
        _, stats, loads = run(seeds, ExtractionCache(tmp_path / "cache", version), nlp)
        assert (stats.extracted, stats.cached, loads) == (2, 0, 1)


def test_a_damaged_cache_entry_is_extracted_again(seeds, cache, nlp):
    first, _, _ = run(seeds, cache, nlp)
    cache.path(seeds[0]).write_text("{not json", encoding="utf-8")
    again, stats, _ = run(seeds, cache, nlp)
    assert (stats.extracted, stats.cached) == (1, 1)
    assert again == first


def test_dossier_build_uses_the_cache_unless_told_not_to(make_project):
    settings = make_project(SEEDS)
    title = "Dossier"
    assert generate(settings, title)[1].extraction.extracted == 2
    assert (settings.root / ".dossier-cache" / "extract").is_dir()
    report = generate(settings, title)[1]
    assert (report.extraction.extracted, report.extraction.cached) == (0, 2)
    uncached = dataclasses.replace(settings, cache=None)
    assert generate(uncached, title)[1].extraction.extracted == 2
