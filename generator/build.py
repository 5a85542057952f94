"""Build: write the rendered pages into the content folder and have MkDocs build the site.

- Generated pages are listed in `content/.dossier-manifest.json`: a page that is no
  longer generated (its article was removed) is deleted, a hand-written page is never
  touched, and a page is rewritten only when its text changed.
- MkDocs builds into a temporary folder beside the site folder, which replaces the site
  only when the build succeeded: a failed build leaves the previous site as it was.
- `SOURCE_DATE_EPOCH` (the date in the sitemap) is set from the newest article date
  when the caller has not set it, so that the same articles give byte-identical sites.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import Settings
from generator.exports import export_pages
from generator.extract import extract_mentions, load_pipeline
from generator.ingest import Article, Problem, read_articles
from generator.model import Dossier, build_dossier
from generator.render import Page, render_pages
from generator.resolve import load_corrections, resolve

log = logging.getLogger(__name__)

MANIFEST = ".dossier-manifest.json"


class BuildError(RuntimeError):
    """The build cannot go on; the message says why and which file is at fault."""


@dataclass
class BuildReport:
    articles: int = 0
    entities: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def make_dossier(settings: Settings) -> Dossier:
    """ingest -> extract -> resolve -> model."""
    ingested = read_articles(settings.articles_dir)
    if settings.strict and ingested.problems:
        raise BuildError(
            "strict mode: some articles have problems:\n"
            + "\n".join(f"  {p}" for p in ingested.problems)
        )
    if not ingested.articles:
        raise BuildError(f"no readable article in {settings.articles_dir}")
    corrections = load_corrections(settings.corrections_file)
    nlp = load_pipeline(settings.model, corrections.ruler_entries())
    mentions = extract_mentions(ingested.articles, nlp)
    entities = resolve(mentions, corrections)
    return build_dossier(ingested.articles, entities, ingested.problems)


def generate(settings: Settings, site_title: str) -> tuple[Dossier, BuildReport]:
    """Make the dossier and write its pages into the content folder."""
    dossier = make_dossier(settings)
    pages = render_pages(dossier, settings.templates_dir, site_title)
    pages += export_pages(dossier)
    report = write_pages(pages, settings.content_dir)
    report.articles, report.entities = len(dossier.articles), len(dossier.entities)
    report.problems = dossier.problems
    return dossier, report


def write_pages(pages: Iterable[Page], content: Path) -> BuildReport:
    report = BuildReport()
    content.mkdir(parents=True, exist_ok=True)
    previous = read_manifest(content)
    pages = list(pages)
    current = {page.path for page in pages}
    for page in pages:
        target = safe_target(content, page.path)
        if target.exists() and page.path not in previous:
            raise BuildError(
                f"{target}: a hand-written page is in the way of a generated page; "
                "rename it or remove it"
            )
    for page in pages:
        target = safe_target(content, page.path)
        if target.exists() and target.read_text(encoding="utf-8") == page.text:
            report.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(page.text, encoding="utf-8")
        temporary.replace(target)
        report.written.append(page.path)
    for stale in sorted(previous - current):
        target = safe_target(content, stale)
        if target.exists():
            target.unlink()
            report.removed.append(stale)
        _remove_empty_parents(target.parent, content)
    write_manifest(content, current)
    return report


def safe_target(content: Path, relative: str) -> Path:
    """The file for a page path, refusing any path that would leave the content folder."""
    target = (content / relative).resolve()
    if not target.is_relative_to(content.resolve()) or "\x00" in relative:
        raise BuildError(f"refusing to write outside {content}: {relative!r}")
    return target


def read_manifest(content: Path) -> set[str]:
    path = content / MANIFEST
    if not path.exists():
        return set()
    try:
        return set(json.loads(path.read_text(encoding="utf-8"))["generated"])
    except (ValueError, KeyError, TypeError) as error:
        raise BuildError(f"{path}: unreadable manifest ({error}); delete it and rebuild") from error


def write_manifest(content: Path, paths: set[str]) -> None:
    text = json.dumps({"generated": sorted(paths)}, indent=1, ensure_ascii=False) + "\n"
    (content / MANIFEST).write_text(text, encoding="utf-8")


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def reproducible_epoch(articles: list[Article]) -> str:
    dates = [a.date for a in articles if a.date is not None]
    newest = max(dates) if dates else dt.date(1970, 1, 1)
    moment = dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC)
    return str(int(moment.timestamp()))


def build_site(settings: Settings, epoch: str | None = None) -> None:
    """Run the MkDocs build into a temporary folder, then swap it in place of the site."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site = settings.site_dir
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=site.parent))
    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if previous_epoch is None and epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        config = load_config(
            str(settings.mkdocs_file),
            docs_dir=str(settings.content_dir),
            site_dir=str(staging),
            strict=True,
        )
        mkdocs_build(config)
    except (MkDocsException, SystemExit, OSError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"MkDocs build failed, previous site kept: {error}") from error
    finally:
        if previous_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
    swap_in(staging, site)


def swap_in(staging: Path, site: Path) -> None:
    old = None
    if site.exists():
        old = site.with_name(f".{site.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        site.rename(old)
    staging.rename(site)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def site_title(settings: Settings) -> str:
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may hold `!!python/name:` tags; the title is all we need here.
    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    data = yaml.load(settings.mkdocs_file.read_text(encoding="utf-8"), Loader=_Loader)
    return str((data or {}).get("site_name") or "Dossier")
