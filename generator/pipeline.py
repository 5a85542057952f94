"""Build: write the rendered pages into the content folder and have MkDocs build the site.

- Generated pages are listed with their SHA-256 in `content/.dossier-manifest.json`: a
  page that is no longer generated (its article was removed) is deleted, unless it was
  edited by hand since; a hand-written page is never touched, and a page is rewritten
  only when its text changed.
- Output folders that overlap the inputs (`--site seeds`, `--content .`) are refused
  before anything is written: the site folder is replaced as a whole.
- MkDocs builds into a temporary folder beside the site folder, which replaces the site
  only when the build succeeded: a failed build leaves the previous site as it was.
- `SOURCE_DATE_EPOCH` (the date in the sitemap and the gzip header of `sitemap.xml.gz`)
  is set from the newest article date when the caller has not set it, so that the same
  articles give byte-identical sites.
"""

from __future__ import annotations

import logging
from collections import ChainMap
from dataclasses import asdict, dataclass

import spacy
from spacy.language import Language

from generator.cache.fingerprint import (
    BuildRecord,
    forget_record,
    inputs_digest,
    load_record,
    page_stamps,
    save_record,
)
from generator.cache.store import (
    ExtractionCache,
    ParseCache,
    extract_cached,
    extraction_version,
    parse_cached,
    parse_version,
)
from generator.corrections.entities import Corrections, load_corrections
from generator.corrections.events import load_event_corrections
from generator.errors import BuildError
from generator.events.curated import apply_event_corrections
from generator.events.dates import date_mentions
from generator.events.find import EventLexicon, find_events, load_event_lexicon, paragraphs_to_parse
from generator.ingest.read import read_articles
from generator.model import build_dossier
from generator.nlp.extract import has_parser, load_pipeline, load_rules_pipeline, load_tokenizer
from generator.nlp.languages import Setup, assign_languages, fallback_warning, language_of, setups
from generator.records import (
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
from generator.settings import Settings
from generator.site.build import reproducible_epoch
from generator.site.pages import check_templates, dossier_pages
from generator.site.write import MANIFEST, read_manifest, write_pages
from generator.timing import timed

log = logging.getLogger(__name__)


@dataclass
class Extraction:
    """What extraction and resolution made of the articles (what `dossier extract` shows)."""

    articles: list[Article]  # with their language
    problems: list[Problem]
    mentions: list[Mention]  # every mention extracted, resolved or not, in article order
    entities: list[Entity]
    setups: dict[str, Setup]  # how each language was extracted
    corrections: Corrections


def make_dossier(settings: Settings, stats: ExtractionStats | None = None) -> Dossier:
    """ingest -> extract -> resolve -> dates, events (then curated events) -> model."""
    stats = stats if stats is not None else ExtractionStats()
    event_corrections = load_event_corrections(settings.corrections_file)  # errors first
    extraction = extract_and_resolve(settings, stats)
    with timed("events"):  # events need the parser, which extraction leaves out
        lexicon = load_event_lexicon()
        found = find_all_events(extraction, settings, lexicon, stats)
        events, notes = apply_event_corrections(
            found, event_corrections, extraction.entities, extraction.articles, lexicon
        )
    notes = unused_entity_corrections(extraction.corrections, extraction.entities) + notes
    with timed("model"):
        return build_dossier(
            extraction.articles, extraction.entities, extraction.problems, events, notes
        )


def find_all_events(
    extraction: Extraction, settings: Settings, lexicon: EventLexicon, stats: ExtractionStats
) -> list[Event]:
    """Dates and events of every article whose language has a parsing model; the parses
    come from the cache, and the parser is loaded only for articles missing from it."""
    articles = extraction.articles
    models = parsing_models(articles, extraction.setups)
    tokenizers = {language: load_tokenizer(model) for language, model in models.items()}
    dates = article_dates(articles, tokenizers)
    parsed = ChainMap(
        *(
            parse_cached(
                [a for a in articles if a.language == language],
                lambda article: paragraphs_to_parse(article, lexicon),
                lambda model=model: load_pipeline(model, parse=True),
                tokenizers[language].vocab,
                parse_cache(settings, model),
                stats,
                settings.jobs,
            )
            for language, model in models.items()
        )
    )
    return find_events(articles, extraction.entities, dates, tokenizers, lexicon, parsed)


def parse_cache(settings: Settings, model: str) -> ParseCache | None:
    if settings.cache_dir is None:
        return None
    return ParseCache(settings.cache_dir, parse_version(model))


def extract_and_resolve(settings: Settings, stats: ExtractionStats | None = None) -> Extraction:
    """ingest -> language -> extract (each language with its pipeline) -> resolve."""
    stats = stats if stats is not None else ExtractionStats()
    with timed("ingest"):
        ingested = read_articles(settings.articles_dir)
    if settings.strict and ingested.problems:
        raise BuildError(
            "strict mode: some articles have problems:\n"
            + "\n".join(f"  {p}" for p in ingested.problems)
        )
    if not ingested.articles:
        raise BuildError(f"no readable article in {settings.articles_dir}")
    with timed("language"):
        articles = assign_languages(ingested.articles, settings.default_language)
    corrections = load_corrections(settings.corrections_file)
    ruler_entries = corrections.ruler_entries()
    language_setups = setups(settings.models)
    warn_rules_only(articles, language_setups, stats)
    gazetteer = load_gazetteer()
    with timed("extract"):
        mentions = extract_by_language(
            articles, language_setups, settings, ruler_entries, gazetteer, stats
        )
    with timed("resolve"):
        entities = resolve(mentions, corrections, gazetteer=gazetteer)
    return Extraction(articles, ingested.problems, mentions, entities, language_setups, corrections)


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
    ruler_entries: list[dict],
    gazetteer: Gazetteer,
    stats: ExtractionStats,
) -> list[Mention]:
    """The mentions of every article, in article order, each extracted (or taken from the
    cache) by the pipeline of its language."""
    by_article: dict[str, list[Mention]] = {}
    for language, setup in language_setups.items():
        chosen = [a for a in articles if language_of(a, settings.default_language) == language]
        if not chosen:
            continue
        cache = None
        if settings.cache_dir is not None:
            version = extraction_version(setup.key, ruler_entries)
            cache = ExtractionCache(settings.cache_dir, version)

        def load(setup: Setup = setup) -> Language:
            return extraction_pipeline(setup, ruler_entries, gazetteer)

        for mention in extract_cached(chosen, load, cache, stats, jobs=settings.jobs):
            by_article.setdefault(mention.article, []).append(mention)
    return [m for article in articles for m in by_article.get(article.slug, [])]


def extraction_pipeline(setup: Setup, ruler_entries: list[dict], gazetteer: Gazetteer) -> Language:
    if setup.model is not None:
        return load_pipeline(setup.model, ruler_entries)
    return load_rules_pipeline(setup.language, gazetteer, ruler_entries)


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


def generate(settings: Settings, site_title: str) -> tuple[Dossier, BuildReport]:
    """Make the dossier and write its pages into the content folder."""
    check_folders(settings)
    check_templates(settings)
    stats = ExtractionStats()
    dossier = make_dossier(settings, stats)
    with timed("render"):
        pages = dossier_pages(dossier, settings, site_title)
    with timed("write"):
        report = write_pages(pages, settings.content_dir)
    report.extraction = stats
    report.articles, report.entities = len(dossier.articles), len(dossier.entities)
    report.problems = dossier.problems
    report.notes += dossier.notes
    return dossier, report


def generate_unless_unchanged(settings: Settings, site_title: str) -> BuildReport:
    """`generate`, unless nothing the pages depend on changed since the last build and
    the pages are still as it wrote them: then its report again (see fingerprint.py)."""
    with timed("fingerprint"):
        digest = inputs_digest(settings)
        record = load_record(settings)
        if record is not None and record.fresh(digest, settings.content_dir):
            return replayed_report(record)
    forget_record(settings)  # a build that fails half-way must not look finished
    dossier, report = generate(settings, site_title)
    report.epoch = reproducible_epoch(dossier.articles)
    pages = [*read_manifest(settings.content_dir), MANIFEST]
    stamps = page_stamps(settings.content_dir, pages)
    save_record(settings, BuildRecord(digest, report_data(report, dossier.notes), stamps))
    return report


def report_data(report: BuildReport, notes: list[str]) -> dict:
    """What a replayed build says again: counts, warnings and the dossier's notes, not
    what this build did to the pages."""
    data = asdict(report)
    data.update(written=[], removed=[], unchanged=0, notes=notes)
    return data


def replayed_report(record: BuildRecord) -> BuildReport:
    """The last build's report, said again: its warnings logged, every page unchanged, and
    every article counted as read from the cache."""
    data = dict(record.report)
    stats = ExtractionStats(**data.pop("extraction"))
    stats.cached, stats.extracted = stats.cached + stats.extracted, 0
    stats.parses_cached, stats.parsed = stats.parses_cached + stats.parsed, 0
    for warning in stats.warnings:
        log.warning(warning)
    problems = [Problem(**problem) for problem in data.pop("problems")]
    data.update(unchanged=len(record.pages), replayed=True)
    return BuildReport(**data, problems=problems, extraction=stats)


def check_folders(settings: Settings) -> None:
    """Refuse output folders that would overwrite or delete the inputs."""
    inputs = {
        "articles folder": settings.articles_dir,
        "templates folder": settings.templates_dir,
        "MkDocs config": settings.mkdocs_file,
        "corrections file": settings.corrections_file,
    }
    outputs = {"site folder": settings.site_dir, "content folder": settings.content_dir}
    for output, out_path in outputs.items():
        out_path = out_path.resolve()
        for name, in_path in inputs.items():
            in_path = in_path.resolve()
            if name == "MkDocs config" and output == "content folder":
                continue  # mkdocs.yml is never in the content folder's way
            if in_path.is_relative_to(out_path) or out_path.is_relative_to(in_path):
                raise BuildError(
                    f"the {output} ({out_path}) overlaps the {name} ({in_path}): "
                    "choose separate folders, nothing was written"
                )
    site, content = settings.site_dir.resolve(), settings.content_dir.resolve()
    if site.is_relative_to(content) or content.is_relative_to(site):
        raise BuildError(f"the site folder ({site}) and the content folder ({content}) overlap")


def unused_entity_corrections(corrections: Corrections, entities: list[Entity]) -> list[str]:
    """Curated entities that no article names: not errors (they may be prepared ahead)."""
    found = {e.name for e in entities if e.origin == "curated"}
    return [
        f"{corrections.path}:{entry.line}: {entry.name!r} is named in no article (no page)"
        for entry in corrections.entities
        if entry.name not in found
    ]


