"""The `dossier` command line."""

from __future__ import annotations

import html
import json
import logging
import sys
from pathlib import Path

import click

from generator.cli.review import DEFAULT_OUTPUT, FORMATS, dump, review_data
from generator.corrections.entities import CorrectionsError
from generator.errors import BuildError
from generator.ingest.read import ARTICLE_SUFFIXES
from generator.nlp.extract import DEFAULT_MODEL
from generator.nlp.languages import DEFAULT_ENGLISH_MODEL, DEFAULT_LANGUAGE, SUPPORTED
from generator.pipeline import extract_and_resolve, generate_unless_unchanged
from generator.settings import Settings
from generator.site.build import build_site, site_title


def _settings(**options: object) -> Settings:
    values = {k: v for k, v in options.items() if v is not None}
    if values.pop("no_cache", False):
        values["cache"] = None
    for key in ("articles", "content", "site", "mkdocs_config", "templates", "corrections"):
        if key in values:
            values[key] = Path(str(values[key]))
    return Settings(**values)  # type: ignore[arg-type]


def _site_options() -> list:
    return [
        click.option(
            "--content", type=click.Path(), help="Folder for the generated Markdown [content]."
        ),
        click.option("--site", type=click.Path(), help="Folder for the built site [site]."),
        click.option(
            "--config", "mkdocs_config", type=click.Path(), help="MkDocs config [mkdocs.yml]."
        ),
        click.option("--templates", type=click.Path(), help="Jinja2 templates [site_templates]."),
    ]


def _extraction_options() -> list:
    return [
        click.option("--articles", type=click.Path(), help="Folder of articles [seeds]."),
        click.option(
            "--corrections",
            type=click.Path(),
            help="Corrections file [ARTICLES/corrections.yml].",
        ),
        click.option("--model", help=f"spaCy model of French articles [{DEFAULT_MODEL}]."),
        click.option(
            "--english-model",
            help=f"spaCy model of English articles, used when installed [{DEFAULT_ENGLISH_MODEL}].",
        ),
        click.option(
            "--default-language",
            type=click.Choice(SUPPORTED),
            help=f"Language of articles too short to detect [{DEFAULT_LANGUAGE}].",
        ),
        click.option("--strict", is_flag=True, default=None, help="Fail on any bad article."),
        click.option("--no-cache", is_flag=True, default=None, help="Extract every article again."),
        click.option("--jobs", type=click.IntRange(1), help="spaCy worker processes [2]."),
        click.option(
            "--search-text",
            type=click.Choice(["auto", "full", "lead"]),
            help="What the search index holds: full text, or the lead (first two "
            "paragraphs) of each source and no event pages, or auto (full text below "
            "1,000 articles) [auto].",
        ),
    ]


def _with(options: list, function):  # type: ignore[no-untyped-def]
    for option in reversed(options):
        function = option(function)
    return function


def common_options(function):  # type: ignore[no-untyped-def]
    return _with([*_extraction_options(), *_site_options()], function)


def extraction_options(function):  # type: ignore[no-untyped-def]
    return _with(_extraction_options(), function)


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' own messages.")
def main(verbose: bool) -> None:
    """Turn a folder of news articles into a cross-linked, searchable dossier site."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )


@main.command()
@common_options
@click.option("--no-site", is_flag=True, help="Write the Markdown pages only, skip MkDocs.")
def build(no_site: bool, **options: object) -> None:
    """Extract, write the pages into CONTENT and build the site into SITE."""
    settings = _settings(**options)
    try:
        report = generate_unless_unchanged(settings, site_title(settings))
        if report.replayed:
            click.echo("nothing changed since the last build: pages kept as they were")
        for problem in report.problems:
            click.echo(f"warning: {problem}", err=True)
        for note in report.notes:
            click.echo(f"note: {note}", err=True)
        click.echo(
            f"{report.articles} articles, {report.entities} entities; pages: "
            f"{len(report.written)} written, {report.unchanged} unchanged, "
            f"{len(report.removed)} removed"
        )
        click.echo(
            f"extraction: {report.extraction.extracted} article(s) through the model, "
            f"{report.extraction.cached} from the cache; events: "
            f"{report.extraction.parsed} article(s) through the parser, "
            f"{report.extraction.parses_cached} from the cache"
        )
        if not no_site:
            build_site(settings, report.epoch)
            click.echo(f"site built in {settings.site_dir}")
    except (BuildError, CorrectionsError, OSError, RuntimeError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)


@main.command()
@extraction_options
@click.option("--output", type=click.Path(dir_okay=False), help="Review file [extraction.yml].")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="yaml", show_default=True)
def extract(output: str | None, fmt: str, **options: object) -> None:
    """Write what was extracted per article, and the decisions to review, to a file."""
    settings = _settings(**options)
    target = Path(output) if output else settings.root / DEFAULT_OUTPUT[fmt]
    try:
        check_review_target(target, settings)
        extraction = extract_and_resolve(settings)
    except (BuildError, CorrectionsError, OSError, RuntimeError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    data = review_data(extraction, settings)
    target.write_text(dump(data, fmt), encoding="utf-8")
    summary = data["summary"]
    click.echo(
        f"{summary['mentions']} mentions of {summary['entities']} entities in "
        f"{summary['articles']} articles written to {target}"
    )
    click.echo(f"{summary['to_review']} decision(s) to review:")
    for item in data["review"]:
        click.echo(f"  - [{item['kind']}] {item['subject']}: {item['decision']}")


def check_review_target(target: Path, settings: Settings) -> None:
    """Never overwrite the inputs with the review file."""
    target = target.resolve()
    inputs = [settings.corrections_file.resolve()]
    folder = settings.articles_dir.resolve()
    if target in inputs or (target.is_relative_to(folder) and target.suffix in ARTICLE_SUFFIXES):
        raise BuildError(f"{target}: the review file would overwrite an input; choose another")


@main.command()
@common_options
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True)
def serve(dev_addr: str, **options: object) -> None:
    """Generate the pages, then preview the site with live reload."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    settings = _settings(**options)
    try:
        generate_unless_unchanged(settings, site_title(settings))
    except (BuildError, CorrectionsError, FileNotFoundError, RuntimeError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    mkdocs_serve(
        config_file=str(settings.mkdocs_file),
        docs_dir=str(settings.content_dir),
        dev_addr=dev_addr,
        livereload=True,
    )


@main.command()
@click.argument("query")
@click.option("--site", type=click.Path(), help="The built site [site].")
@click.option("--limit", default=10, show_default=True, help="How many pages to list.")
def search(query: str, site: str | None, limit: int) -> None:
    """Search the built site like its search box does; list the pages, best first."""
    from generator.site.search import SearchError, search_site

    settings = _settings(site=site)
    try:
        results = search_site(settings.site_dir, query, limit)
    except SearchError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    if not results:
        click.echo(f"no page matches {query!r}")
    for rank, page in enumerate(results, 1):
        click.echo(f"{rank:>2}. {html.unescape(page.title)}  /{page.location}  ({page.score:.1f})")
        for section in page.sections:
            if section.location != page.location:
                click.echo(f"      /{section.location}  {html.unescape(section.title)}")


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--articles", type=click.Path(), help="Folder of articles [seeds].")
@click.option(
    "--corrections", type=click.Path(), help="Corrections file [ARTICLES/corrections.yml]."
)
@click.option("--no-corrections", is_flag=True, help="Measure without any corrections file.")
@click.option("--model", help=f"spaCy model [{DEFAULT_MODEL}].")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate(gold: str, no_corrections: bool, as_json: bool, **options: object) -> None:
    """Score extraction against a hand annotation GOLD, beside the raw model's NER."""
    from generator.evaluate.score import GoldError, evaluate_settings, format_reports

    settings = _settings(**options)
    try:
        dossier, raw = evaluate_settings(Path(gold), settings, use_corrections=not no_corrections)
    except (GoldError, CorrectionsError, FileNotFoundError, RuntimeError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps({"dossier": dossier.as_dict(), "raw": raw.as_dict()}, indent=2))
    else:
        click.echo(format_reports(dossier, raw))


if __name__ == "__main__":
    main()
