"""The `dossier` command line."""

from __future__ import annotations

import dataclasses
import html
import json
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import NoReturn

import click

from generator.cache.editors_report import report_lines
from generator.cli.new import new, version_text
from generator.cli.options import command_settings, common_options, extraction_options
from generator.cli.review import DEFAULT_OUTPUT, FORMATS, dump, review_data
from generator.corrections import CorrectionsError
from generator.errors import BuildError
from generator.ingest.read import ARTICLE_SUFFIXES
from generator.pipeline import Run, Stage, run
from generator.settings import Settings

# What a command reports as `error: ...` and exit 1, never as a traceback.
ERRORS: tuple[type[Exception], ...] = (BuildError, CorrectionsError, OSError, RuntimeError)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)  # exit 130 and 143, one line, no traceback


@click.group()
@click.version_option(message="%(version)s", version=version_text())
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
    """Extract, write the pages into CONTENT and build the site into SITE.

    Example: dossier build --articles my-articles --strict
    """
    with reported_errors():
        run_build(command_settings(**options), Stage.RENDER if no_site else Stage.SITE)


@main.command(name="zip")
@common_options
@click.option(
    "--output",
    type=click.Path(dir_okay=False),
    help="The zip file [dossier.zip, in the folder the command runs in].",
)
def zip_site(output: str | None, **options: object) -> None:
    """Build the offline site into SITE (as `dossier build --offline`) and write it as one
    zip file, OUTPUT (dossier.zip in the folder the command runs in), to mail or copy:
    unzipped, its index.html opens in a browser, search, map and network working, with
    no server.

    Example: dossier zip --output ~/Bureau/dossier-syrie.zip
    """
    from generator.site.archive import check_zip_target, default_zip, write_zip

    with reported_errors():
        settings = dataclasses.replace(command_settings(**options), offline=True)
        target = Path(output) if output else default_zip(settings)
        check_zip_target(target, settings)
        run_build(settings, Stage.SITE)
        count = write_zip(settings.site_dir, target)
        click.echo(f"{count} files of the offline site written to {target}")


@contextmanager
def reported_errors() -> Iterator[None]:
    """A command's errors as `error: ...` and exit 1, never as a traceback."""
    try:
        yield
    except ERRORS as error:
        fail(error)


def run_build(settings: Settings, until: Stage) -> None:
    """The pipeline up to `until`, saying its progress; a signal stops it cleanly."""
    try:
        with stopped_by_signals():
            run(settings, until, after=say_progress)
    except Stopped as stop:
        name = signal.Signals(stop.number).name
        click.echo(
            f"stopped by {name}: the previous site is kept as it was; "
            "build again to finish the pages",
            err=True,
        )
        sys.exit(128 + stop.number)


class Stopped(BaseException):
    """SIGINT or SIGTERM: a BaseException, so that no `except Exception` swallows it and
    every `finally` on the way (staging folder, temporary files, lock) runs."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


@contextmanager
def stopped_by_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise `Stopped` in this process and kill the worker processes it
    forked (spaCy's); a worker that gets the signal itself (Ctrl-C reaches the whole
    process group) dies of it quietly, without a traceback."""
    owner = os.getpid()

    def stop(number: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:  # a forked worker: die quietly, as without a handler
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
            return
        for child in multiprocessing.active_children():
            child.kill()  # nothing to clean up in a worker, and SIGKILL is never lost
        raise Stopped(number)

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def say_progress(stage: Stage, state: Run) -> None:
    """What `dossier build` says: the pages written (before MkDocs starts), then the site."""
    if stage == Stage.SITE:
        click.echo(f"site built in {state.settings.site_dir}")
        if state.report is not None and state.report.site:
            click.echo(state.report.site)
    if stage != Stage.RENDER or state.report is None:
        return
    report = state.report
    if report.replayed:
        click.echo("nothing changed since the last build: pages kept as they were")
    for line in report_lines(report):
        click.echo(line, err=True)
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


def fail(error: Exception) -> NoReturn:
    click.echo(f"error: {error}", err=True)
    sys.exit(1)


@main.command()
@extraction_options
@click.option("--output", type=click.Path(dir_okay=False), help="Review file [extraction.yml].")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="yaml", show_default=True)
def extract(output: str | None, fmt: str, **options: object) -> None:
    """Write what was extracted per article, and the decisions to review, to a file.

    Example: dossier extract --format json --output extraction.json
    """
    try:
        settings = command_settings(**options)
        target = Path(output) if output else settings.root / DEFAULT_OUTPUT[fmt]
        check_review_target(target, settings)
        state = run(settings, Stage.MODEL)
    except ERRORS as error:
        fail(error)
    data = review_data(state, settings)
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
    """Generate the pages, then preview the site with live reload; the pages are made
    again when the articles, the corrections or the templates change.

    Example: dossier serve --dev-addr 127.0.0.1:8001
    """
    from mkdocs.commands.serve import serve as mkdocs_serve

    from generator.nlp.pipeline import keep_models
    from generator.site.mkdocs_plugin import before_each_build

    keep_models()  # each change builds again: the models stay loaded
    try:
        settings = command_settings(**options)
        run(settings, Stage.RENDER)
    except ERRORS as error:
        fail(error)
    before_each_build(lambda: regenerate(settings))
    watched = [settings.articles_dir, settings.corrections_file, settings.templates_dir]
    click.echo(f"serving the dossier at http://{dev_addr}/ (Ctrl-C to stop)")
    click.echo("it is made again when these change: " + ", ".join(map(str, watched)))
    mkdocs_serve(
        config_file=str(settings.mkdocs_file),
        docs_dir=str(settings.content_dir),
        dev_addr=dev_addr,
        livereload=True,
        watch=[str(path) for path in watched if path.exists()],
    )


def regenerate(settings: Settings) -> None:
    """The pages again, before MkDocs' rebuild; a bad input keeps the pages as they were."""
    try:
        state = run(settings, Stage.RENDER)
    except ERRORS as error:
        click.echo(f"error: {error} (the pages are kept as they were)", err=True)
        return
    if state.report is not None and not state.report.replayed:
        click.echo(f"pages made again: {len(state.report.written)} written", err=True)


@main.command()
@click.argument("query")
@click.option("--site", type=click.Path(), help="The built site [site].")
@click.option("--limit", default=10, show_default=True, help="How many pages to list.")
def search(query: str, site: str | None, limit: int) -> None:
    """Search the built site like its search box does; list the pages, best first.

    Example: dossier search "Abou Kamal" --limit 5
    """
    from generator.site.search import search_site
    from generator.site.search_index import SearchError

    settings = command_settings(site=site)
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
@extraction_options
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate(gold: str, as_json: bool, **options: object) -> None:
    """Score what `dossier build` would publish against a hand annotation GOLD, beside
    the raw models' NER: the same pipeline, models, corrections and caches as the build.

    Example: dossier evaluate tests/gold/seeds.yml --no-corrections
    """
    from generator.evaluate.gold import GoldError
    from generator.evaluate.systems import evaluate_run, format_reports, summary

    try:
        settings = command_settings(**options)
        dossier, raw = evaluate_run(Path(gold), run(settings, Stage.MODEL))
    except (GoldError, BuildError, CorrectionsError, OSError, RuntimeError) as error:
        fail(error)
    if as_json:
        click.echo(json.dumps(summary(dossier, raw), indent=2))
    else:
        click.echo(format_reports(dossier, raw))


main.add_command(new)
