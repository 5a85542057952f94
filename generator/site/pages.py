"""Pages: every file generated into the content folder, rendered from the dossier.

The Markdown pages (`render`, `visual`), the data exports (`exports`, `timeline`), how
much of each source the search index gets (`search_lead`), and the templates checked
first so that a broken one is a clear error before anything is written.
"""

from __future__ import annotations

from jinja2 import TemplateError, TemplateSyntaxError

from generator.errors import BuildError
from generator.records import (
    Dossier,
    Page,
)
from generator.settings import Settings
from generator.site.build import mkdocs_settings, site_title
from generator.site.exports import export_pages
from generator.site.inputs import Kept
from generator.site.render import render_pages
from generator.site.templating import make_environment
from generator.site.timeline import timeline_pages
from generator.site.visual import MapOptions, visual_pages
from generator.site.write import kept_pages


def check_templates(settings: Settings) -> None:
    """Compile every template first: a broken one fails before the model is loaded."""
    env = make_environment(settings.templates_dir)
    for name in env.list_templates(extensions=["j2"]):
        try:
            env.get_template(name)
        except TemplateSyntaxError as error:
            path = settings.templates_dir / name
            raise BuildError(f"{path}:{error.lineno}: template error: {error.message}") from error


def dossier_pages(dossier: Dossier, settings: Settings) -> list[Page]:
    """Every file generated into the content folder: the pages and the data exports."""
    config = mkdocs_settings(settings)
    title = site_title(config)
    options = MapOptions.from_extra(config.get("extra") or {})
    kept = kept_pages(settings.content_dir) if settings.read_cache else None
    pages = render_checked(dossier, settings, title, options, kept)
    language = settings.default_language
    return pages + export_pages(dossier) + timeline_pages(dossier, title, language)


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
) -> list[Page]:
    """Render the pages (but those `kept`: their inputs did not change since their file
    was written); a broken template is a clear error before anything is written."""
    try:
        lead = search_lead(settings, len(dossier.articles))
        language = settings.default_language  # the dossier's: mkdocs.yml `theme.language`
        pages = render_pages(dossier, settings.templates_dir, site_title, lead, language, kept)
        return pages + visual_pages(
            dossier, settings.templates_dir, site_title, map_options, language
        )
    except TemplateSyntaxError as error:
        where = f"{error.filename or error.name}:{error.lineno}"
        raise BuildError(f"{where}: template error: {error.message}") from error
    except TemplateError as error:
        raise BuildError(f"template error in {settings.templates_dir}: {error}") from error
