"""Render pages through MkDocs' own `_populate_page` and `_build_page`, in this process
or in forked worker processes, each page giving back its `PagePart`.

The workers are forked once the configuration, the files and the nav are known (and the
nav's pages read, which every page's nav shows): each then renders its chunk of pages
exactly as `mkdocs build` would, writes their HTML into the site folder and sends back
what the shared outputs need (search entries, names, anchors). Pages are independent
there: each gets its own Markdown instance, and a page's template reads no other page
than those of the nav.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import jinja2
from mkdocs import utils
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import BuildError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.site.processes import in_forked_processes
from generator.site.site_state import PagePart, html_stamp, source_hash, source_stamp

# Markdown bytes: below this, a worker costs more than it saves (about 40 entity pages;
# a single large index or list of mentions is a chunk of its own).
SMALLEST_CHUNK = 200_000
CHUNKS_PER_JOB = 4  # uneven pages (an entity's against an event's) even out


@dataclass
class Renderer:
    config: MkDocsConfig
    files: Files
    doc_files: list[File]
    nav: Navigation
    env: jinja2.Environment
    populated: dict[str, set[str]]  # pages already read (the nav's): their lookups

    def render(self, page: Page) -> PagePart:
        lookups = self.populated.get(page.file.src_uri)
        if lookups is None:
            lookups = self.populate(page)
        search = search_index(self.config)
        before = len(search.entries) if search is not None else 0
        _build_page(page, self.config, self.doc_files, self.nav, self.env)
        entries = search.entries[before:] if search is not None else []
        if search is not None:
            del search.entries[before:]  # gathered again, in the site's order, at the end
        return PagePart(
            source=source_hash(page.file.abs_src_path),
            source_stamp=source_stamp(page.file.abs_src_path),
            html_stamp=html_stamp(page.file.abs_dest_path),
            entries=entries,
            names=dossier_names(self.config).pop(page.url, None),
            anchors=sorted(page.present_anchor_ids or ()),
            links={f.src_uri: dict(links) for f, links in (page.links_to_anchors or {}).items()},
            lookups=sorted(lookups),
            title=page._title_from_render,
        )

    def populate(self, page: Page) -> set[str]:
        """Read a page (the nav's, ahead of the others); the paths its links looked up."""
        with recorded_lookups(self.files) as lookups:
            _populate_page(page, self.config, self.files)
        self.populated[page.file.src_uri] = lookups
        return lookups


@contextlib.contextmanager
def recorded_lookups(files: Files) -> Iterator[set[str]]:
    """Every path looked up among the files meanwhile (MkDocs resolves a page's links
    there, guesses included)."""
    lookups: set[str] = set()
    look_up = files.get_file_from_path

    def recording(path: str) -> File | None:
        lookups.add(path)
        return look_up(path)

    files.get_file_from_path = recording  # type: ignore[method-assign]
    try:
        yield lookups
    finally:
        del files.get_file_from_path


def search_index(config: MkDocsConfig) -> Any:
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    return getattr(plugin, "search_index", None)


def dossier_names(config: MkDocsConfig) -> dict[str, list[str]]:
    plugin = config.plugins.get("dossier-search")
    names: dict[str, list[str]] = getattr(plugin, "names", {})
    return names


def render_pages(renderer: Renderer, pages: list[Page], jobs: int) -> RenderResult:
    """Each page's part, in the order given, and the warnings the workers counted."""
    sizes = {page.file.src_uri: source_size(page) for page in pages}
    large = jobs > 1 and sum(sizes.values()) >= 2 * SMALLEST_CHUNK
    chunks = in_chunks(sizes, jobs) if large else []
    if len(chunks) < 2:  # the parent's own handler counts the warnings
        return RenderResult(parts=[renderer.render(page) for page in pages], warnings=0)
    largest_first = sorted(range(len(chunks)), key=lambda n: -chunk_size(chunks[n], sizes))
    tasks = [partial(render_chunk, renderer, chunks[n]) for n in largest_first]
    done = in_forked_processes(tasks, jobs)
    results = [result for _, result in sorted(zip(largest_first, done, strict=True))]
    parts: list[PagePart] = []
    warnings = 0
    for result in results:
        if isinstance(result, str):
            raise BuildError(result)
        parts += result.parts
        warnings += result.warnings
    return RenderResult(parts=parts, warnings=warnings)


@dataclass
class RenderResult:
    parts: list[PagePart]
    warnings: int  # counted in the workers (strict mode counts the parent's itself)


def in_chunks(sizes: dict[str, int], jobs: int) -> list[list[str]]:
    """The pages in their order, cut into runs of about the same Markdown size."""
    target = max(SMALLEST_CHUNK, -(-sum(sizes.values()) // (jobs * CHUNKS_PER_JOB)))
    chunks: list[list[str]] = [[]]
    filled = 0
    for uri, size in sizes.items():
        if filled and filled + size > target:
            chunks.append([])
            filled = 0
        chunks[-1].append(uri)
        filled += size
    return chunks


def chunk_size(chunk: list[str], sizes: dict[str, int]) -> int:
    return sum(sizes[uri] for uri in chunk)


def source_size(page: Page) -> int:
    return os.path.getsize(page.file.abs_src_path) if page.file.abs_src_path else 0


def let_go(page: Page) -> None:
    """In a worker, a page rendered and its part taken lets go of its Markdown, HTML and
    table of contents: the worker's pages are copies that no later page reads (but the
    nav's, whose titles every page shows: `Page.title` reads the Markdown). At 3,000
    articles, the MkDocs stage's peak went from 1.33 to 0.70 GB (PSS)."""
    page.markdown = ""
    page.content = ""
    page.toc = get_toc([])


def render_chunk(renderer: Renderer, uris: list[str]) -> RenderResult | str:
    """In a worker: the chunk's parts, or the error that stopped it (as text: MkDocs'
    exceptions do not all survive pickling, and `mkdocs_build` reports a `BuildError`)."""
    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(counter)
    try:
        files = renderer.files
        pages = [files.get_file_from_path(uri) for uri in uris]
        nav_pages = {page.file.src_uri for page in renderer.nav.pages}
        parts = []
        for file in pages:
            if file and file.page:
                parts.append(renderer.render(file.page))
                if file.src_uri not in nav_pages:
                    let_go(file.page)
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
    return RenderResult(parts=parts, warnings=sum(count for _, count in counter.get_counts()))
