"""The offline site (`dossier build --offline`): one that opens from its folder or a zip.

A browser opening the site's files (file://) shows a folder's listing for a link to the
folder, refuses `fetch()` of the site's own files and refuses to start a worker. So the
`dossier-search` plugin, when offline, changes only what MkDocs writes, never the
Markdown pages (an offline build shares the content folder, and its replay, with the
published one):

- every link to a folder in the pages, the search entries and the map and network data
  names its `index.html` (`offline_links`, `offline_data_script`, `urls.offline_url`);
- each JSON file of the search gets a script twin that the page may load
  (`script_twins`), Material's configuration among them (`search/search_index.js`, as
  Material's own offline plugin writes it);
- the search worker runs in a hidden frame (`search/worker.html`), started by a
  `Worker` of the site's own (data/search-file-worker.js) where Material's offline
  plugin loads `iframe-worker` from unpkg.com: the site makes no third-party request.

Material's offline plugin is not used: it turns `use_directory_urls` off, which changes
every page's path and so the links the Markdown pages and the data hold.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from generator.site.csp import with_policy
from generator.site.urls import offline_url

PAGE_WORKER = Path("search") / "file-worker.js"  # the page's `Worker` under file://
FRAME_PAGE = Path("search") / "worker.html"
FRAME_SCRIPT = Path("search") / "frame.js"
MATERIAL_INDEX_SCRIPT = Path("search") / "search_index.js"

# An attribute that holds a URL, in a tag: article text is escaped, so `<` starts a tag.
_TAG = re.compile(r"<(?:a|link|area)\b[^>]*>", re.I)
_HREF = re.compile(r'(\shref=)"([^"]*)"', re.I)
_ASSIGNMENT = re.compile(r"window\.(?P<name>\w+) = (?P<data>.*);\n", re.S)


def offline_links(html: str) -> str:
    """The page with each link to a folder of the site naming the folder's index.html."""

    def tag(match: re.Match[str]) -> str:
        return _HREF.sub(lambda href: f'{href[1]}"{offline_url(href[2])}"', match.group())

    return _TAG.sub(tag, html)


def offline_entries(data: dict[str, Any]) -> dict[str, Any]:
    """Material's search entries with their locations naming index.html."""
    docs = [{**doc, "location": offline_location(doc["location"])} for doc in data["docs"]]
    return {**data, "docs": docs}


def offline_location(location: str) -> str:
    """A search entry's location, relative to the site's root, naming index.html: the
    home's (`""`, `#section`) too, where a page's own link `#section` stays as it is."""
    if location == "" or location.startswith("#"):
        return f"index.html{location}"
    return offline_url(location)


def offline_data_script(script: str) -> str:
    """A data script of the map or network (`window.dossierMap = {...};`) with every
    `url` in it naming index.html."""
    match = _ASSIGNMENT.fullmatch(script)
    if match is None:
        raise ValueError("not a data script made by generator.site.visual.js_assignment")
    data = _with_offline_urls(json.loads(match["data"]))
    text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return f"window.{match['name']} = {text};\n"


def _with_offline_urls(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: offline_url(item)
            if key == "url" and isinstance(item, str)
            else _with_offline_urls(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_with_offline_urls(item) for item in value]
    return value


def script_twins(files: dict[Path, str]) -> dict[Path, str]:
    """A script beside each search file, for a page that may not fetch: the worker's
    files call `dossierSearchFile(name, data)` (data/search-frame.js), Material's
    configuration sets `__index`, as Material reads it under file://."""
    twins = {}
    for path, text in files.items():
        if path == Path("search") / "search_index.json":
            twins[MATERIAL_INDEX_SCRIPT] = f"var __index = {text}\n"
        else:
            name = path.relative_to("search").as_posix()
            twins[path.with_suffix(".js")] = f"dossierSearchFile({json.dumps(name)}, {text});\n"
    return twins


def frame_page(worker: Path, lunr: Path) -> str:
    """The hidden page the search worker runs in, with the site's policy."""
    scripts = [FRAME_SCRIPT, lunr, worker]
    tags = "".join(f'<script src="{path.name}"></script>' for path in scripts)
    page = (
        '<!doctype html>\n<html><head><meta charset="utf-8"><title>search</title>'
        f"{tags}</head><body></body></html>\n"
    )
    return with_policy(page)


def offline_files(worker: Path, lunr: Path) -> dict[Path, str]:
    """The files of the search under file://, beside the worker."""
    package = resources.files("generator").joinpath("data")
    return {
        PAGE_WORKER: package.joinpath("search-file-worker.js").read_text(encoding="utf-8"),
        FRAME_SCRIPT: package.joinpath("search-frame.js").read_text(encoding="utf-8"),
        FRAME_PAGE: frame_page(worker, lunr),
    }
