"""The one pipeline, run by every command, which stops where it needs:

    ingest -> languages -> extract -> resolve -> events (dates, events, event corrections)
      -> model -> render (pages into the content folder) -> site (MkDocs)

`dossier build` runs it all, `dossier serve` up to render, `dossier extract` and
`dossier evaluate` up to the model (so that evaluate scores what build publishes). Each
stage is a function below that reads and fills the `Run`, in the order of `STAGES`.

A build whose inputs did not change since the last one (see cache/fingerprint.py) replays
that build's report instead of generating again, and keeps the pages as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field, replace
from enum import IntEnum
from functools import partial
from typing import Any

import spacy
from spacy.language import Language
from spacy.vocab import Vocab

from generator.cache.accounts import AccountCache, accounts_version, article_entities
from generator.cache.editors_report import write_editors_report
from generator.cache.fingerprint import (
    BuildRecord,
    FileHashes,
    forget_record,
    inputs_digest,
    load_record,
    page_stamps,
    save_record,
)
from generator.cache.languages import assign_languages_cached
from generator.cache.replay import replayed_report, report_data
from generator.cache.store import (
    ExtractionCache,
    ParseCache,
    Parsed,
    extract_cached,
    extraction_version,
    parse_cached,
    parse_version,
)
from generator.collector import long_lived, rare_full_collections, release_memory
from generator.corrections import Corrections, load_corrections
from generator.errors import BuildError
from generator.events.curated import apply_event_corrections
from generator.events.dates import date_mentions
from generator.events.find import events_of_accounts
from generator.events.finder import EventFinder
from generator.events.lexicon import EventLexicon, load_event_lexicon
from generator.events.parsing import paragraphs_to_parse
from generator.ingest.read import read_articles
from generator.model import build_dossier
from generator.nlp.bodies import load_bodies
from generator.nlp.executors import Executor, Recipe, extraction_executor
from generator.nlp.languages import (
    Setup,
    fallback_warning,
    in_language,
    setups,
)
from generator.nlp.lexicon import load_known_organisations, load_lexicon
from generator.nlp.pipeline import has_parser, load_tokenizer, models_read_once, parse_pipeline
from generator.records import (
    Account,
    Article,
    BuildReport,
    DateMention,
    Dossier,
    Entity,
    Event,
    ExtractionStats,
    Mention,
    Problem,
)
from generator.resolve.entities import resolve
from generator.resolve.gazetteer import Gazetteer, load_gazetteer
from generator.resolve.propagate import missed_mentions
from generator.settings import Settings
from generator.site.build import MkDocsProcess, build_site, mkdocs_ahead, reproducible_epoch
from generator.site.folders import check_folders, check_site_folder
from generator.site.lock import build_lock
from generator.site.pages import check_templates, dossier_pages
from generator.site.write import MANIFEST, read_manifest, write_pages
from generator.timing import timed

log = logging.getLogger(__name__)


class Stage(IntEnum):
    """The stages, in pipeline order: `run(settings, until=Stage.MODEL)` stops after the
    model."""

    INGEST = 1
    LANGUAGES = 2
    EXTRACT = 3
    RESOLVE = 4
    EVENTS = 5
    MODEL = 6
    RENDER = 7
    SITE = 8


@dataclass
class Run:
    """What the pipeline has made so far: each stage reads the fields of the stages
    before it and fills its own."""

    settings: Settings
    stats: ExtractionStats = field(default_factory=ExtractionStats)
    corrections: Corrections = field(default_factory=Corrections)  # read before any stage
    problems: list[Problem] = field(default_factory=list)  # ingest
    articles: list[Article] = field(default_factory=list)  # ingest, then languages
    setups: dict[str, Setup] = field(default_factory=dict)  # extract: each language's model
    gazetteer: Gazetteer | None = None  # extract (its rulers), resolve (coordinates)
    mentions: list[Mention] = field(default_factory=list)  # extract, in article order
    entities: list[Entity] = field(default_factory=list)  # resolve
    events: list[Event] = field(default_factory=list)  # events
    notes: list[str] = field(default_factory=list)  # corrections that did not apply
    dossier: Dossier | None = None  # model
    report: BuildReport | None = None  # render (or the replayed report of the last build)
    digest: str | None = None  # the inputs' (see cache/fingerprint.py), if it was taken
    hashes: FileHashes = field(default_factory=lambda: FileHashes({}))  # the inputs' files'
    page_stamps: dict[str, list[int]] = field(default_factory=dict)  # the last build's
    mkdocs: MkDocsProcess | None = None  # started ahead, for the site stage


Observer = Callable[[Stage, "Run"], None]


def run(
    settings: Settings,
    until: Stage = Stage.SITE,
    *,
    replay: bool = True,
    after: Observer | None = None,
) -> Run:
    """Run the pipeline up to `until`, calling `after(stage, run)` after each stage (the
    CLI reports the pages written before MkDocs starts). From the render stage on, the
    output folders and templates are checked first, the content folder is locked against
    a second build, and (with `replay`) a build whose inputs did not change replays the
    last one's report."""
    if until < Stage.RENDER:
        return _run(settings, until, replay, after)
    check_folders(settings)
    if until >= Stage.SITE:
        check_site_folder(settings)
    check_templates(settings)
    with build_lock(settings.content_dir):
        return _run(settings, until, replay, after)


def _run(settings: Settings, until: Stage, replay: bool, after: Observer | None) -> Run:
    after = after or (lambda stage, state: None)
    state = Run(settings)
    if until >= Stage.RENDER and replay:
        with timed("fingerprint"):
            record = load_record(settings)
            state.hashes = FileHashes(record.hashes if record is not None else {})
            state.digest = inputs_digest(settings, state.hashes)
        if record is not None and record.fresh(state.digest, settings.content_dir):
            state.report = replayed_report(record)  # None if the record is damaged
        if state.report is not None:
            assert record is not None
            if state.hashes.seen != record.hashes:  # files settled since: not read again
                save_record(settings, replace(record, hashes=state.hashes.seen))
            after(Stage.RENDER, state)
            if until >= Stage.SITE:
                site(state)
                after(Stage.SITE, state)
            return state
        state.page_stamps = record.pages if record is not None else {}
        forget_record(settings)  # a build that fails half-way must not look finished
    state.corrections = load_corrections(  # its errors come first
        settings.corrections_used, required=settings.corrections is not None
    )
    with ExitStack() as models, ExitStack() as dossier_made, ExitStack() as mkdocs:
        if until >= Stage.SITE and (ahead := mkdocs_ahead(settings)) is not None:
            state.mkdocs = mkdocs.enter_context(ahead)
        for stage, step in STAGES:
            if stage > until:
                break
            if stage == Stage.EXTRACT and until >= Stage.EVENTS:
                models.enter_context(models_read_once())  # for extraction and events
            with rare_full_collections() if stage <= Stage.MODEL else nullcontext():
                step(state)
            if stage == Stage.EVENTS:
                models.close()  # the pipelines let go before the pages are written
                release_memory()  # before the render stage forks its workers
            if stage == Stage.MODEL:
                dossier_made.enter_context(long_lived())  # see `collector`
            if stage == Stage.RENDER and state.digest is not None:
                remember_build(state, state.digest)
            after(stage, state)
    return state


def ingest(state: Run) -> None:
    settings = state.settings
    with timed("ingest"):
        ingested = read_articles(settings.articles_dir, settings.max_article_bytes)
    if settings.strict and ingested.problems:
        raise BuildError(
            "strict mode: some articles have problems:\n"
            + "\n".join(f"  {p}" for p in ingested.problems)
        )
    if not ingested.articles:
        raise BuildError(f"no readable article in {settings.articles_dir}")
    state.articles, state.problems = ingested.articles, ingested.problems


def languages(state: Run) -> None:
    settings = state.settings
    with timed("language"):
        state.articles = assign_languages_cached(
            state.articles, settings.default_language, settings.cache_dir, settings.read_cache
        )


def extract(state: Run) -> None:
    """Each language's articles through its pipeline (or from the extraction cache), in
    local processes or on a Dask cluster (`--scheduler`, `--workers`)."""
    state.setups = setups(state.settings.models)
    warn_rules_only(state.articles, state.setups, state.stats)
    state.gazetteer = load_gazetteer()
    settings = state.settings
    with (
        timed("extract"),
        extraction_executor(
            settings.scheduler, settings.workers, settings.jobs, state.gazetteer
        ) as executor,
    ):
        state.mentions = extract_by_language(
            state.articles,
            state.setups,
            settings,
            state.corrections.ruler_entries(),
            executor,
            state.stats,
        )


def resolve_entities(state: Run) -> None:
    """Mentions into entities; then the names they give, found where a model missed them,
    and the mentions resolved again (the data files read once for both)."""
    with timed("resolve"):
        language = state.settings.default_language
        preferred = {a.slug for a in state.articles if a.language == language}
        lexicon, known, bodies = load_lexicon(), load_known_organisations(), load_bodies()

        def resolved(mentions: list[Mention]) -> list[Entity]:
            return resolve(
                mentions, state.corrections, lexicon, known, state.gazetteer, bodies, preferred
            )

        entities = resolved(state.mentions)
        missed = missed_mentions(state.articles, entities, state.mentions, lexicon)
        if missed:
            order = {a.slug: n for n, a in enumerate(state.articles)}
            state.mentions = sorted(
                [*state.mentions, *missed], key=lambda m: (order[m.article], m.paragraph, m.start)
            )
            entities = resolved(state.mentions)
        state.entities = entities


def events(state: Run) -> None:
    """Dates and events (they need the parser, which extraction leaves out), then the
    event corrections."""
    with timed("events"):
        lexicon = load_event_lexicon()
        found = find_all_events(state, lexicon)
        state.events, state.notes = apply_event_corrections(
            found, state.corrections.events, state.entities, state.articles, lexicon
        )


def build_model(state: Run) -> None:
    state.notes = unused_entity_corrections(state.corrections, state.entities) + state.notes
    with timed("model"):
        state.dossier = build_dossier(
            state.articles, state.entities, state.problems, state.events, state.notes
        )


def render(state: Run) -> None:
    """The pages and data files, written into the content folder."""
    assert state.dossier is not None
    dossier, settings = state.dossier, state.settings
    with timed("render"):
        pages = dossier_pages(dossier, settings, state.page_stamps)
    with timed("write"):
        report = write_pages(pages, settings.content_dir)
    report.extraction = state.stats
    report.articles, report.entities = len(dossier.articles), len(dossier.entities)
    report.problems = dossier.problems
    report.notes += dossier.notes
    report.epoch = reproducible_epoch(dossier.articles)
    state.report = report
    write_editors_report(settings, report)


def site(state: Run) -> None:
    """MkDocs builds the site from the content folder."""
    assert state.report is not None
    state.report.site = build_site(state.settings, state.report.epoch, state.digest, state.mkdocs)


STAGES: list[tuple[Stage, Callable[[Run], None]]] = [
    (Stage.INGEST, ingest),
    (Stage.LANGUAGES, languages),
    (Stage.EXTRACT, extract),
    (Stage.RESOLVE, resolve_entities),
    (Stage.EVENTS, events),
    (Stage.MODEL, build_model),
    (Stage.RENDER, render),
    (Stage.SITE, site),
]


def remember_build(state: Run, digest: str) -> None:
    """Record what this build was made from and said, for the next one to replay."""
    assert state.report is not None and state.dossier is not None
    settings = state.settings
    pages = [*read_manifest(settings.content_dir), MANIFEST]
    stamps = page_stamps(settings.content_dir, pages)
    data = report_data(state.report, state.dossier.notes)
    save_record(settings, BuildRecord(digest, data, stamps, state.hashes.seen))


def find_all_events(state: Run, lexicon: EventLexicon) -> list[Event]:
    """Dates and events of every article whose language has a parsing model. Each
    article's accounts come from the accounts cache when its text, parse and entities
    did not change; the others' from their parses (cached too: the parser is loaded
    only for articles missing from both); then all are merged into events."""
    models = parsing_models(state.articles, state.setups)
    spans = article_entities(state.entities)
    accounts: list[Account] = []
    for language, model in sorted(models.items()):
        chosen = [a for a in state.articles if a.language == language]
        accounts += language_accounts(state, chosen, model, lexicon, spans)
    return events_of_accounts(accounts, lexicon)


def language_accounts(
    state: Run,
    chosen: list[Article],
    model: str,
    lexicon: EventLexicon,
    spans: dict[str, list[tuple[int, int, int, Entity]]],
) -> list[Account]:
    """The accounts of one language's articles, in article order."""
    settings = state.settings
    cache = None
    if settings.cache_dir is not None:
        cache = AccountCache(settings.cache_dir, accounts_version(model), settings.read_cache)
    found: dict[str, list[Account]] = {}
    for article in chosen:
        cached = cache.get(article, spans.get(article.slug, [])) if cache else None
        if cached is not None:
            found[article.slug] = cached
    missing = [a for a in chosen if a.slug not in found]
    state.stats.parses_cached += len(found)
    if missing:
        tokenizer = load_tokenizer(model)
        dates = article_dates(missing, {missing[0].language or "": tokenizer})
        parsed = parsed_paragraphs(state, missing, model, tokenizer.vocab, lexicon)
        finder = EventFinder(tokenizer, lexicon)
        for account in finder.candidates(missing, state.entities, dates, parsed):
            found.setdefault(account.article, []).append(account)
        for article in missing:
            found.setdefault(article.slug, [])
            if cache is not None:
                cache.put(article, spans.get(article.slug, []), found[article.slug])
    return [account for article in chosen for account in found[article.slug]]


def parsed_paragraphs(
    state: Run, chosen: list[Article], model: str, vocab: Vocab, lexicon: EventLexicon
) -> Parsed:
    """The parsed event paragraphs of these articles (of one language), by slug."""

    def paragraphs(article: Article) -> dict[int, str]:
        return paragraphs_to_parse(article, lexicon)

    cache = parse_cache(state.settings, model)
    jobs = state.settings.jobs
    parser = partial(parse_pipeline, model)
    return parse_cached(chosen, paragraphs, parser, vocab, cache, state.stats, jobs)


def parse_cache(settings: Settings, model: str) -> ParseCache | None:
    if settings.cache_dir is None:
        return None
    return ParseCache(settings.cache_dir, parse_version(model), settings.read_cache)


def warn_rules_only(
    articles: list[Article], language_setups: dict[str, Setup], stats: ExtractionStats
) -> None:
    """One warning per build for the articles of a language whose model is missing."""
    for language, setup in language_setups.items():
        chosen = [a for a in articles if a.language == language]
        if chosen and not setup.installed:
            warning = fallback_warning(setup, chosen)
            log.warning(warning)
            stats.warnings.append(warning)


def extract_by_language(
    articles: list[Article],
    language_setups: dict[str, Setup],
    settings: Settings,
    ruler_entries: list[dict[str, Any]],
    executor: Executor,
    stats: ExtractionStats,
) -> list[Mention]:
    """The mentions of every article, in article order, each paragraph extracted by the
    pipeline of its language (by `executor`), or taken from the cache."""
    by_article: dict[str, list[Mention]] = {}
    for language, setup in language_setups.items():
        parts = (in_language(a, language, settings.default_language) for a in articles)
        chosen = [part for part in parts if part is not None]
        if not chosen:
            continue
        recipe = Recipe(setup, tuple(ruler_entries), extraction_version(setup.key, ruler_entries))
        cache = None
        if settings.cache_dir is not None:
            cache = ExtractionCache(settings.cache_dir, recipe.version, settings.read_cache)

        def extract_missing(missing: list[Article], recipe: Recipe = recipe) -> list[Mention]:
            return executor(missing, recipe)

        for mention in extract_cached(chosen, extract_missing, cache, stats):
            by_article.setdefault(mention.article, []).append(mention)
    in_order = (sorted(by_article.get(a.slug, []), key=lambda m: m.paragraph) for a in articles)
    return [m for mentions in in_order for m in mentions]


def parsing_models(articles: list[Article], language_setups: dict[str, Setup]) -> dict[str, str]:
    """The model of each language of the articles, if it has a parser: the French model
    never parses English text, and without an English model English articles get no
    events."""
    models = {}
    for language in sorted({a.language for a in articles if a.language}):
        model = language_setups[language].model
        if model is not None and has_parser(model):
            models[language] = model
    return models


def article_dates(articles: list[Article], tokenizers: dict[str, Language]) -> list[DateMention]:
    """Date expressions of every article, read with its language's tokenizer."""
    found: dict[str, list[DateMention]] = {}
    for language in sorted({a.language or "" for a in articles}):
        nlp = tokenizers.get(language) or spacy.blank(language or "xx")
        chosen = [a for a in articles if (a.language or "") == language]
        for date in date_mentions(chosen, nlp):
            found.setdefault(date.article, []).append(date)
    return [d for article in articles for d in found.get(article.slug, [])]


def unused_entity_corrections(corrections: Corrections, entities: list[Entity]) -> list[str]:
    """Curated entities that no article names: not errors (they may be prepared ahead)."""
    found = {e.name for e in entities if e.origin == "curated"}
    return [
        f"{corrections.path}:{entry.line}: {entry.name!r} is named in no article (no page)"
        for entry in corrections.entities
        if entry.name not in found
    ]
