"""Pages: every file generated into the content folder, rendered from the dossier.

The Markdown pages (`render`, `visual`), the data exports (`exports`, `timeline`), how
much of each source the search index gets (`search_lead`), and the templates checked
first so that a broken one is a clear error before anything is written. From
`PARALLEL_FROM_RECORDS` records up, they are made over `--jobs` forked processes
(`processes.py`): each export, the visual pages, the timeline files, the pages made from
the whole dossier, and shares of the records' pages are tasks of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from jinja2 import TemplateError, TemplateSyntaxError

from generator.collector import without_cycle_collection
from generator.errors import BuildError
from generator.records import (
    Dossier,
    Page,
)
from generator.settings import Settings
from generator.site.build import mkdocs_settings, site_title
from generator.site.exports import export_parts
from generator.site.inputs import Kept
from generator.site.processes import in_forked_processes
from generator.site.render import Renderer
from generator.site.templating import make_environment
from generator.site.timeline import timeline_pages
from generator.site.visual import MapOptions, visual_pages
from generator.site.write import KeptPages


def check_templates(settings: Settings) -> None:
    """Compile every template first: a broken one fails before the model is loaded."""
    env = make_environment(settings.templates_dir)
    for name in env.list_templates(extensions=["j2"]):
        try:
            env.get_template(name)
        except TemplateSyntaxError as error:
            path = settings.templates_dir / name
            raise BuildError(f"{path}:{error.lineno}: template error: {error.message}") from error


def dossier_pages(
    dossier: Dossier, settings: Settings, stamps: dict[str, list[int]] | None = None
) -> list[Page]:
    """Every file generated into the content folder: the pages and the data exports,
    rendered over `settings.jobs` processes when the dossier is large enough to gain;
    `stamps`: the size and modification time of the pages the last build wrote."""
    config = mkdocs_settings(settings)
    title = site_title(config)
    options = MapOptions.from_extra(config.get("extra") or {})
    kept = KeptPages(settings.content_dir, stamps or {}) if settings.read_cache else None
    jobs = settings.jobs if records(dossier) >= PARALLEL_FROM_RECORDS else 1
    return render_checked(dossier, settings, title, options, kept, jobs)


PARALLEL_FROM_RECORDS = 500  # below, forking the workers costs more than it saves


def records(dossier: Dossier) -> int:
    """The entities, sources and events: each of them gives a page or two."""
    return len(dossier.entities) + len(dossier.articles) + len(dossier.events)


SEARCH_LEAD_PARAGRAPHS = 2


def search_lead(settings: Settings, articles: int) -> int | None:
    """How many paragraphs of each source go into the search index (None: all of them).

    Material builds its lunr index in the reader's browser at every visit, so the full
    text of thousands of articles makes search slow to start; large dossiers index the
    lead of each source, where news says what matters, and their templates leave the
    event pages out of the index (`compact_search`; see docs/pages/guide/search.md)."""
    full = settings.search_text == "full" or (
        settings.search_text == "auto" and articles < settings.search_full_text_below
    )
    return None if full else SEARCH_LEAD_PARAGRAPHS


def render_checked(
    dossier: Dossier,
    settings: Settings,
    site_title: str,
    map_options: MapOptions,
    kept: Kept | None = None,
    jobs: int = 1,
) -> list[Page]:
    """Render the pages (but those `kept`: their inputs did not change since their file
    was written), the data files after them; a broken template is a clear error before
    anything is written."""
    lead = search_lead(settings, len(dossier.articles))
    language = settings.default_language  # the dossier's: mkdocs.yml `theme.language`
    templates = settings.templates_dir
    data: list[Callable[[], list[Page]]] = [  # the largest tasks, first
        *map(without_cycle_collection, export_parts(dossier)),
        partial(visual_pages, dossier, templates, site_title, map_options, language),
        without_cycle_collection(partial(timeline_pages, dossier, site_title, language)),
    ]
    try:
        renderer = Renderer(dossier, templates, site_title, lead, language, kept)
        pages = renderer.parts(jobs * SHARES_PER_JOB if jobs > 1 else 1)
        done = in_forked_processes([*data, *pages], jobs, parent_too=True)
    except TemplateSyntaxError as error:
        where = f"{error.filename or error.name}:{error.lineno}"
        raise BuildError(f"{where}: template error: {error.message}") from error
    except TemplateError as error:
        raise BuildError(f"template error in {templates}: {error}") from error
    rendered = sorted((page for part in done[len(data) :] for page in part), key=lambda p: p.path)
    return rendered + [page for part in done[: len(data)] for page in part]


SHARES_PER_JOB = 4  # uneven shares (an entity's pages against a source's) even out
