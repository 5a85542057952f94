"""Whether the site is already the build of its inputs: then MkDocs does not run at all.

After each site build, `remember_site` keeps beside the build state (one record per site
folder, see `build.site_state_file`) what the site was built from and what it was left
as: the build's inputs digest (see cache/fingerprint.py: articles, corrections,
templates, mkdocs.yml, settings, the generator's code, the installed packages), the
environment variables mkdocs.yml reads (`!ENV`), the reproducible date, a digest of the
path, size and modification time of every file of the content folder and of the theme's
`custom_dir`, and one of every file of the site folder (with its inode). `up_to_date`
compares them with the folders as they are now: a build with nothing changed then costs
a walk of the two folders (make's check), where MkDocs would read its configuration, its
theme and every page to find that out.

A site built by plugins or hooks of mkdocs.yml that dossier does not know is never taken
as up to date: they may read anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.settings import Settings
from generator.site.folders import SUMMARY
from generator.site.lock import LOCK

FORMAT = 2  # bump when what the digests cover changes
KNOWN_PLUGINS = frozenset({"search", "material/search", "dossier-search", "offline"})
_COUNTS = re.compile(r"(\d+) pages rendered, (\d+) kept")
_ENV_TAG = re.compile(r"!ENV\s*\[?\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)")


def record_path(state_file: Path) -> Path:
    return state_file.with_name(f"{state_file.stem}-up-to-date.json")


def site_key(settings: Settings, digest: str, epoch: str | None, config: dict[str, Any]) -> str:
    """What the site is built from, besides the content folder's files."""
    text = settings.mkdocs_file.read_text("utf-8", errors="replace")
    names = sorted({n.strip() for group in _ENV_TAG.findall(text) for n in group.split(",")})
    environment = {name: os.environ.get(name) for name in [*names, "SOURCE_DATE_EPOCH"]}
    custom = (config.get("theme") or {}).get("custom_dir") if isinstance(config, dict) else None
    theme = folder_digest(settings.mkdocs_file.parent / custom) if isinstance(custom, str) else ""
    parts = [FORMAT, digest, epoch, environment, theme]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def only_known_extensions(config: dict[str, Any]) -> bool:
    """No hook, and no plugin but the ones whose inputs the key covers."""
    plugins = config.get("plugins") or []
    names = [next(iter(p)) if isinstance(p, dict) and p else p for p in plugins]
    return not config.get("hooks") and all(name in KNOWN_PLUGINS for name in names)


def folder_digest(folder: Path, with_inodes: bool = False) -> str:
    """A digest of the path, size and modification time of every file under `folder`
    (and its inode: a file replaced by another of the same size and time), but the lock
    of a build (in the content folder while the build runs). Read depth first, each
    folder's entries by name: one `scandir` and one `stat` per entry, no path objects
    (at 10,000 articles the content and the site hold some 250,000 files and folders)."""
    return listing_digest(files_with_status(str(folder)), with_inodes)


def listing_digest(files: Iterable[tuple[str, os.stat_result]], with_inodes: bool = False) -> str:
    """`folder_digest` of the files `files_with_status` gave, or some of them."""
    digest = hashlib.sha256()
    for path, status in files:
        if path == LOCK:
            continue
        inode = f" {status.st_ino}" if with_inodes else ""
        line = f"{path}\0{status.st_size} {status.st_mtime_ns}{inode}\n"
        digest.update(line.encode("utf-8", errors="surrogateescape"))
    return digest.hexdigest()


def in_walk_order(path: str) -> list[tuple[int, str]]:
    """The sort key of a path from `files_with_status`, in the order it gives them."""
    *folders, name = path.split("/")
    return [(1, folder) for folder in folders] + [(0, name)]


def files_with_status(folder: str) -> Iterator[tuple[str, os.stat_result]]:
    """Every file under `folder` (a missing or unreadable folder has none) with its
    status, by its path from there: each folder's files by name, then its folders."""
    pending = [(folder, "")]
    while pending:
        path, prefix = pending.pop()
        try:
            with os.scandir(path) as scanned:
                entries = sorted(scanned, key=lambda entry: entry.name)
        except OSError:
            continue
        folders = []
        for entry in entries:
            name = f"{prefix}{entry.name}"
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{name}/"))
                else:
                    yield name, entry.stat(follow_symlinks=False)
            except OSError:
                continue
        pending += reversed(folders)


def up_to_date(settings: Settings, state_file: Path, key: str) -> str | None:
    """The summary line of a build that keeps every page, if the site is still what the
    previous build made from these inputs."""
    try:
        record = json.loads(record_path(state_file).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("key") != key:
        return None
    with ThreadPoolExecutor(2) as walks:  # `scandir` and `stat` let go of Python's lock
        content = walks.submit(folder_digest, settings.content_dir)
        site = walks.submit(folder_digest, settings.site_dir, with_inodes=True)
        if record.get("content") != content.result() or record.get("site") != site.result():
            return None
    pages = record.get("pages")
    if not isinstance(pages, int):
        return None
    return f"{SUMMARY} 0 pages rendered, {pages} kept (up to date: nothing changed)"


def remember_site(
    settings: Settings, state_file: Path, key: str, summary: str, built: Built
) -> None:
    """What the site was just built from and left as (`summary`: MkDocs' line)."""
    counts = _COUNTS.search(summary)
    if counts is None:
        return
    data = {
        "key": key,
        "content": built.content,
        "site": built.site or folder_digest(settings.site_dir, with_inodes=True),
        "pages": int(counts[1]) + int(counts[2]),
    }
    path = record_path(state_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(data), encoding="utf-8")
    os.replace(partial, path)


@dataclass
class Built:
    """The digests of a build's folders, as `folder_digest` gives them, taken on the way:
    the content folder's while MkDocs ran (it only reads it), the site's (with inodes)
    from the walk that removed its stale files, if the build updated it in place."""

    content: str
    site: str | None = None


def forget_site(state_file: Path) -> None:
    record_path(state_file).unlink(missing_ok=True)
