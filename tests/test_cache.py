"""The extraction cache: a rebuild makes no model call, a new article is the only one
extracted, and a change of model or configuration extracts everything again. The same
holds for the parses of the events stage."""

from __future__ import annotations

import dataclasses

import pytest

from generator.cache.files import sealed, unsealed
from generator.cache.store import (
    ExtractionCache,
    ParseCache,
    extract_cached,
    extraction_version,
    parse_cached,
    parse_version,
)
from generator.corrections import Corrections
from generator.events.dates import date_mentions
from generator.events.find import find_events
from generator.events.lexicon import load_event_lexicon
from generator.events.parsing import paragraphs_to_parse, parse_articles
from generator.ingest.read import read_articles
from generator.nlp.mentions import extract_mentions
from generator.nlp.pipeline import DEFAULT_MODEL, load_tokenizer
from generator.records import ExtractionStats
from generator.resolve.entities import resolve
from tests.pipeline_runs import generate

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


class CountingExtraction:
    """Extracts with the real pipeline and counts how often the build asked it to."""

    def __init__(self, nlp) -> None:
        self.nlp, self.calls = nlp, 0

    def __call__(self, missing):
        self.calls += 1
        return extract_mentions(missing, self.nlp)


def run(articles, cache, nlp):
    stats, extraction = ExtractionStats(), CountingExtraction(nlp)
    mentions = extract_cached(articles, extraction, cache, stats)
    return mentions, stats, extraction.calls


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


def test_an_entry_reads_back_whole_and_an_altered_or_older_one_does_not():
    payload = {"article": "é" * 3, "mentions": [{"start": 1, "end": 4}], "z": None}
    entry = sealed(payload)
    assert unsealed(entry) == payload
    assert sealed(payload) == entry  # the same bytes for the same payload
    altered = entry.replace(b'"start":1', b'"start":2')
    for damaged, reason in [
        (altered, "checksum mismatch"),
        (entry[:-5], "checksum mismatch"),
        (b'{"checksum": "0", "article": "x"}', "an entry of an older format"),
        (b"", "no checksum"),
    ]:
        with pytest.raises(ValueError, match=reason):
            unsealed(damaged)


def test_dossier_build_uses_the_cache_unless_told_not_to(make_project):
    settings = make_project(SEEDS)
    assert generate(settings)[1].extraction.extracted == 2
    assert (settings.root / ".dossier-cache" / "extract").is_dir()
    report = generate(settings)[1]
    assert (report.extraction.extracted, report.extraction.cached) == (0, 2)
    assert (report.extraction.parsed, report.extraction.parses_cached) == (0, 2)
    uncached = dataclasses.replace(settings, cache=None)
    assert generate(uncached)[1].extraction.extracted == 2


def parse(articles, cache, nlp, tokenizer):
    stats, loader = ExtractionStats(), CountingLoader(nlp)
    lexicon = load_event_lexicon()
    parsed = parse_cached(
        articles,
        lambda article: paragraphs_to_parse(article, lexicon),
        loader,
        tokenizer.vocab,
        cache,
        stats,
    )
    return parsed, stats, loader.calls


def event_summaries(articles, nlp, tokenizer, parsed):
    entities = resolve(extract_mentions(articles, nlp), Corrections())
    dates = date_mentions(articles, tokenizer)
    events = find_events(articles, entities, dates, tokenizer, parsed=parsed)
    return [(e.slug, e.type, e.date, [a.name for a in e.actors]) for e in events]


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer(DEFAULT_MODEL)


def test_rebuild_parses_nothing_and_finds_the_same_events(seeds, nlp, tokenizer, tmp_path):
    cache = ParseCache(tmp_path / "cache", parse_version(DEFAULT_MODEL))
    first, stats, loads = parse(seeds, cache, nlp, tokenizer)
    assert (stats.parsed, stats.parses_cached, loads) == (2, 0, 1)
    again, stats, loads = parse(seeds, cache, nlp, tokenizer)
    assert (stats.parsed, stats.parses_cached, loads) == (0, 2, 0)
    assert {slug: sorted(docs) for slug, docs in again.items()} == {
        slug: sorted(docs) for slug, docs in first.items()
    }
    fresh = event_summaries(seeds, nlp, nlp, None)  # parsed on the spot, as before any cache
    assert len(fresh) >= 3
    assert event_summaries(seeds, nlp, tokenizer, again) == fresh


def test_a_damaged_parse_entry_is_parsed_again(seeds, nlp, tokenizer, tmp_path):
    cache = ParseCache(tmp_path / "cache", parse_version(DEFAULT_MODEL))
    parse(seeds, cache, nlp, tokenizer)
    cache.path(seeds[0]).write_bytes(b"not a DocBin")
    _, stats, _ = parse(seeds, cache, nlp, tokenizer)
    assert (stats.parsed, stats.parses_cached) == (1, 1)


def test_the_parse_cache_follows_the_model():
    assert parse_version(DEFAULT_MODEL) != parse_version("fr_core_news_sm")
    assert parse_version(DEFAULT_MODEL) != extraction_version(DEFAULT_MODEL, [])


def test_parsing_in_two_processes_gives_each_article_its_own_parses_in_order(seeds, nlp):
    copies = [dataclasses.replace(a, slug=f"{a.slug}-{n}") for n in range(28) for a in seeds]
    nothing_to_parse = dataclasses.replace(seeds[0], slug="no-event")
    articles = [*copies[:5], nothing_to_parse, *copies[5:]]

    def every_paragraph(article):
        return {} if article is nothing_to_parse else dict(enumerate(article.normalised_paragraphs))

    assert sum(len(every_paragraph(a)) for a in articles) >= 400  # enough to start workers

    def summary(jobs):
        return [
            (article.slug, index, doc.text, [token.dep_ for token in doc])
            for article, docs in parse_articles(nlp, articles, every_paragraph, jobs)
            for index, doc in docs.items()
        ] + [a.slug for a, docs in parse_articles(nlp, articles[:6], every_paragraph) if not docs]

    alone, two = summary(1), summary(2)
    assert two == alone
    assert alone[-1] == "no-event"
    by_slug = {a.slug: a for a in articles}
    assert all(by_slug[row[0]].normalised_paragraphs[row[1]] == row[2] for row in alone[:-1])
    assert [row[0] for row in alone[:3]] == [copies[0].slug] * 3
