"""MkDocs' build (`mkdocs.commands.build.build`), step for step, rendering only the pages
that changed since the previous build and keeping the previous site's HTML of the others
(hard links into the staging folder), the pages rendered over `jobs` processes.

The same events run in the same order as in MkDocs' build: `on_config`, `on_pre_build`,
`on_files`, `on_nav`, every page read and built through MkDocs' own `_populate_page` and
`_build_page` (with `on_page_*`), `on_env`, the static files, the theme's templates (the
404 page, the sitemap), the anchor validation of every page, `on_post_build`. The pages
not rendered give their part of the shared outputs from the build state
(`generator.site.site_state`): Material's search entries, in the order a clean build
writes them, dossier-search's names, their anchors.

A page is rendered again when its Markdown changed, when its HTML in the previous site is
not the file that build wrote, or when one of the paths its links looked up was added or
removed (the link then renders otherwise, or fails the strict build as it would in a
clean one). Anything that changes every page (see `site_digest`), a missing or damaged
state, an unknown plugin: every page is rendered, and the log says why
(`full build: <reason>`).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from mkdocs import utils
from mkdocs.commands.build import _build_extra_template, _build_theme_template
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

from generator.collector import long_lived, rare_full_collections
from generator.site.mkdocs_pages import Renderer, dossier_names, render_pages, search_index
from generator.site.site_state import (
    PagePart,
    SiteState,
    StateWriter,
    changed_part,
    html_stamp,
    load_state,
    site_digest,
    source_hash,
    source_stamp,
    unknown_plugins,
    with_nav,
)
from generator.timing import timed

log = logging.getLogger(__name__)


@dataclass
class Plan:
    render: list[Page]  # in the site's order
    keep: dict[str, PagePart]  # pages whose previous HTML stays, by source path
    reason: str | None  # why every page is rendered (None: an incremental build)


@dataclass
class Outcome:
    rendered: int
    kept: int
    reason: str | None


def build(
    config: MkDocsConfig,
    *,
    previous_site: Path | None,
    state_file: Path | None,
    jobs: int,
    offline: bool,
    kept_list: Path | None = None,
    state_read: SiteState | str | None = None,
) -> Outcome:
    """Build the site into `config.site_dir`, and its state (what the next build keeps
    pages by) into `state_file` if the build succeeds. With `kept_list`, the pages kept
    are not linked into the site but listed in that file (their HTML paths, one per
    line): the caller moves the new files into the previous site instead (see
    `generator.site.build.update_in_place`). `state_read`: the build state already read
    from `state_file`."""
    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    if config.strict:
        logging.getLogger("mkdocs").addHandler(counter)
    try:
        start = time.monotonic()
        with StateWriter(state_file) as state_writer:
            outcome, worker_warnings = _build(
                config,
                previous_site,
                state_file,
                state_read,
                jobs,
                offline,
                kept_list,
                state_writer,
            )
            counts = dict(counter.get_counts())
            if worker_warnings:
                counts["WARNING"] = counts.get("WARNING", 0) + worker_warnings
            if config.strict and counts:
                summary = ", ".join(f"{n} {level.lower()}s" for level, n in counts.items())
                raise Abort(f"Aborted with {summary} in strict mode!")
        log.info("Documentation built in %.2f seconds", time.monotonic() - start)
        return outcome
    except Exception as error:
        config.plugins.on_build_error(error=error)
        if isinstance(error, BuildError):
            log.error(str(error))
            raise Abort("Aborted with a BuildError!") from error
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)


def _build(
    config: MkDocsConfig,
    previous_site: Path | None,
    state_file: Path | None,
    state_read: SiteState | str | None,
    jobs: int,
    offline: bool,
    kept_list: Path | None,
    state_writer: StateWriter,
) -> tuple[Outcome, int]:
    """MkDocs' build, its pages rendered or kept. What reading the site's files makes
    (files, nav, previous state) stays until the end: the collector sets it apart."""
    with ExitStack() as collector:
        collector.enter_context(rare_full_collections())
        with timed("mkdocs: config, files, nav"):
            config = config.plugins.on_config(config)
            config.plugins.on_pre_build(config=config)
            utils.clean_directory(config.site_dir)
            files = get_files(config)
            env = config.theme.get_env()
            files.add_files_from_theme(env, config)
            files = config.plugins.on_files(files, config=config)
            set_exclusions(files, config)
            nav = get_navigation(files, config)
            nav = config.plugins.on_nav(nav, config=config, files=files)
            doc_files = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
            for file in doc_files:
                if file.page is None:
                    Page(None, file, config)
        renderer = Renderer(config, files, doc_files, nav, env, populated={})
        with timed("mkdocs: previous state, nav pages read"):
            digest = site_digest(config, offline)
            state = previous_state(digest, previous_site, state_file, config, state_read)
            digest = read_nav(renderer, nav, state, digest)
            if not isinstance(state, str) and (part := changed_part(state.digest, digest)):
                state = f"{part} changed"
            plan = plan_build(files, doc_files, state, previous_site)
        collector.close()  # the files, nav and previous state: read, and held until the end
        collector.enter_context(long_lived())
        with timed("mkdocs: static files, theme templates"):
            env = config.plugins.on_env(env, config=config, files=files)
            files.copy_static_files(inclusion=InclusionLevel.is_included)
            for template in config.theme.static_templates:
                _build_theme_template(template, env, files, config, nav)
            for template in config.extra_templates:
                _build_extra_template(template, files, config, nav)
        with timed("mkdocs: pages rendered"):
            result = render_pages(renderer, plan.render, jobs)
        parts = dict(zip([page.file.src_uri for page in plan.render], result.parts, strict=True))
        with timed("mkdocs: previous pages kept"):
            if kept_list is not None and plan.keep:
                list_kept_html(plan.keep, files, kept_list)
            else:
                keep_previous_html(plan.keep, files, previous_site, Path(config.site_dir))
            parts |= {uri: part for uri, part in plan.keep.items()}
            ordered = {file.src_uri: parts[file.src_uri] for file in doc_files}
            restore_page_parts(ordered, files, config)
        with timed("mkdocs: anchors validated"):
            validate_anchors(doc_files, files, config)
        state = SiteState(digest=digest, files=sorted(f.src_uri for f in files), pages=ordered)
        state_writer.start(state)
        with timed("mkdocs: post build (search index)"):
            config.plugins.on_post_build(config=config)
        outcome = Outcome(rendered=len(plan.render), kept=len(plan.keep), reason=plan.reason)
        return outcome, result.warnings


def plan_build(
    files: Files, doc_files: list[File], state: SiteState | str, previous_site: Path | None
) -> Plan:
    """What to render and what to keep, from the previous state (or why every page)."""
    if isinstance(state, str):
        return Plan(render=[file.page for file in doc_files if file.page], keep={}, reason=state)
    assert previous_site is not None
    added_or_removed = {file.src_uri for file in files} ^ set(state.files)
    plan = Plan(render=[], keep={}, reason=None)
    for file in doc_files:
        assert file.page is not None
        part = state.pages.get(file.src_uri)
        if part is None or added_or_removed.intersection(part.lookups):
            plan.render.append(file.page)
        elif unchanged(part, file, previous_site):
            plan.keep[file.src_uri] = part
        else:
            plan.render.append(file.page)
    return plan


def previous_state(
    digest: dict[str, str],
    previous_site: Path | None,
    state_file: Path | None,
    config: MkDocsConfig,
    state_read: SiteState | str | None = None,
) -> SiteState | str:
    """The previous build's state (`state_read` if it was read already), or why every
    page is rendered (but a change of the nav, which needs the titles of its pages: see
    `known_titles`)."""
    if state_file is None:
        return "no build state kept (no cache folder)"
    if previous_site is None or not previous_site.is_dir():
        return "no previous site"
    if unknown := unknown_plugins(config):
        return f"the plugin {unknown[0]} is not known to build incrementally"
    state = load_state(state_file) if state_read is None else state_read
    if isinstance(state, str):
        return state
    if part := changed_part(state.digest, digest):
        return f"{part} changed"
    return state


def read_nav(
    renderer: Renderer, nav: Navigation, state: SiteState | str, digest: dict[str, str]
) -> dict[str, str]:
    """Read the nav's pages first (every page's nav shows their titles), those unchanged
    with their titles from the state; the digest with the nav's. Should that nav not be
    the previous build's, those pages are rendered for their titles after all, and the
    state's titles mended."""
    titles = known_titles(state, nav)
    for page in nav.pages:
        if page.file.src_uri in titles:
            read_with_title(page, renderer.config, titles[page.file.src_uri])
        elif titled_in_nav(page):
            read_source(page, renderer.config)  # rendered with the other pages
        else:
            renderer.populate(page)
    with_titles = with_nav(digest, nav)
    if isinstance(state, str) or not titles or not changed_part(state.digest, with_titles):
        return with_titles
    for page in nav.pages:
        if page.file.src_uri in titles:
            renderer.populate(page)
            state.pages[page.file.src_uri].title = page._title_from_render
    return with_nav(digest, nav)


def known_titles(state: SiteState | str, nav: Navigation) -> dict[str, str]:
    """The titles of the nav's pages whose Markdown did not change since the previous
    build, as their rendering found them then: converting the Markdown of the sections'
    long indexes only for their titles took 7 s of a build at 1,000 articles."""
    if isinstance(state, str):
        return {}
    titles = {}
    for page in nav.pages:
        part = state.pages.get(page.file.src_uri)
        if part is not None and part.title and same_source(part, page.file):
            titles[page.file.src_uri] = part.title
    return titles


def read_with_title(page: Page, config: MkDocsConfig, title: str) -> None:
    """A page read (its source and metadata) but not rendered, with its known title."""
    read_source(page, config)
    page._title_from_render = title


def read_source(page: Page, config: MkDocsConfig) -> None:
    config._current_page = page
    page.read_source(config)


def titled_in_nav(page: Page) -> bool:
    """Whether the nav of `mkdocs.yml` gives the page its title (`Chronologie:
    timeline/index.md`): that title wins over the page's own (`Page.title` is a weak
    property, and the nav's is set on the page), so the other pages' nav needs the page
    read, not rendered, and the long section indexes are converted in the workers."""
    return "title" in vars(page)


def same_source(part: PagePart, file: File) -> bool:
    """The Markdown the part was made from (by its stamp, or by its hash when touched);
    a touched but equal source gets its new stamp."""
    stamp = source_stamp(file.abs_src_path)
    if stamp != part.source_stamp:
        if source_hash(file.abs_src_path) != part.source:
            return False
        part.source_stamp = stamp
    return True


def unchanged(part: PagePart, file: File, previous_site: Path) -> bool:
    """The same Markdown (by its stamp, or by its hash when touched) and, in the previous
    site, the HTML that build wrote. A touched but equal source gets its new stamp."""
    if html_stamp(str(previous_site / file.dest_uri)) != part.html_stamp:
        return False
    return same_source(part, file)


def keep_previous_html(
    keep: dict[str, PagePart], files: Files, previous_site: Path | None, site: Path
) -> None:
    """The previous HTML of the pages kept, hard-linked into the new site (a copy where
    a link cannot be made: the next build then renders the page again)."""
    by_uri = files.src_uris
    for uri, part in keep.items():
        file = by_uri.get(uri)
        if part.html_stamp is None or file is None or previous_site is None:
            continue
        target = site / file.dest_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)  # a static file of the same path: the page wins
        try:
            os.link(previous_site / file.dest_uri, target)
        except OSError:
            shutil.copy2(previous_site / file.dest_uri, target)
        part.html_stamp = html_stamp(str(target))


def list_kept_html(keep: dict[str, PagePart], files: Files, kept_list: Path) -> None:
    """The HTML paths of the pages kept, which stay where they are in the previous site."""
    paths = []
    by_uri = files.src_uris
    for uri, part in keep.items():
        file = by_uri.get(uri)
        if part.html_stamp is not None and file is not None:
            paths.append(file.dest_uri)
    kept_list.write_text("".join(f"{path}\n" for path in sorted(paths)), encoding="utf-8")


def restore_page_parts(parts: dict[str, PagePart], files: Files, config: MkDocsConfig) -> None:
    """Every page's anchors on its `Page`, and the search plugins' entries and names, in
    the order of the site's pages, as a clean build leaves them before `on_post_build`."""
    names = dossier_names(config)
    names.clear()
    entries = []
    by_uri = files.src_uris  # the parts name pages by their `src_uri`: no path to normalise
    for uri, part in parts.items():
        file = by_uri.get(uri)
        assert file is not None and file.page is not None
        page = file.page
        page.present_anchor_ids = set(part.anchors)
        page.links_to_anchors = {
            target: dict(links)
            for target_uri, links in part.links.items()
            if (target := by_uri.get(target_uri)) is not None
        }
        entries += part.entries
        if part.names is not None:
            names[page.url] = list(part.names)
    search = search_index(config)
    if search is not None:
        search.entries = entries


def validate_anchors(doc_files: list[File], files: Files, config: MkDocsConfig) -> None:
    level = config.validation.links.anchors
    for file in doc_files:
        assert file.page is not None
        file.page.validate_anchor_links(files=files, log_level=level)
