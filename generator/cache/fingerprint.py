"""The last build's record: skip generating the pages when nothing they depend on changed.

Pages depend on the article files, the corrections, the templates, `mkdocs.yml`, the
settings, the generator's own code and data, and the installed packages (the spaCy
models among them). `inputs_digest` hashes all of these. After a build, the digest, the
build's report and the size and modification time of every generated page are kept in
`.dossier-cache/last-build.json`. The next build with the same digest, whose pages are
still as written, replays that report instead of reading, extracting and rendering
again; MkDocs still builds the site. Anything else, and the pages are generated as usual.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from generator.cache.files import sealed, try_to_write, unsealed
from generator.files import file_stamp, read_regular_file
from generator.settings import Settings

log = logging.getLogger(__name__)

RECORD = "last-build.json"
RECORD_FORMAT = 2
UNUSED_SETTINGS = (  # not what is built (jobs, scheduler, workers: where extraction runs)
    "root",
    "cache",
    "jobs",
    "scheduler",
    "workers",
    "force",
    "read_cache",
)


@dataclass
class BuildRecord:
    digest: str
    report: dict[str, Any]  # a BuildReport as plain data (see build.report_data)
    pages: dict[str, list[int]]  # generated page -> [size, mtime_ns] once written

    def fresh(self, digest: str, content: Path) -> bool:
        """Made from the same inputs, and the pages are still the files written then."""
        return digest == self.digest and self.pages == page_stamps(content, list(self.pages))


def inputs_digest(settings: Settings) -> str:
    digest = hashlib.sha256(f"record {RECORD_FORMAT}\0python {sys.version}\0".encode())
    for name in sorted(vars(settings)):
        if name not in UNUSED_SETTINGS:
            value = f"setting {name}={getattr(settings, name)}\0"
            digest.update(value.encode(errors="surrogateescape"))
    for label, folder in (
        ("articles", settings.articles_dir),
        ("templates", settings.templates_dir),
        ("generator", Path(str(resources.files("generator")))),
    ):
        _update_with_folder(digest, label, folder)
    for path in (settings.corrections_file, settings.mkdocs_file):
        _update_with_file(digest, f"file {path}", path)
    for package in sorted(f"{d.metadata['Name']} {d.version}" for d in metadata.distributions()):
        digest.update(f"package {package}\0".encode())
    return digest.hexdigest()


def _update_with_folder(digest: hashlib._Hash, label: str, folder: Path) -> None:
    if not folder.is_dir():
        digest.update(f"{label}: no folder\0".encode())
        return
    for path in sorted(folder.rglob("*")):
        if "__pycache__" in path.parts or path.is_dir():
            continue
        _update_with_file(digest, f"{label} {path.relative_to(folder).as_posix()}", path)


def _update_with_file(digest: hashlib._Hash, label: str, path: Path) -> None:
    try:
        data = read_regular_file(path)  # never a FIFO: it would wait for a writer
    except OSError as error:  # missing, a broken link, a FIFO: a state like any other
        data = f"unreadable: {error.strerror or error}".encode()
    digest.update(f"{label} {len(data)}\0".encode(errors="surrogateescape"))  # any file name
    digest.update(data)


def page_stamps(content: Path, pages: list[str]) -> dict[str, list[int]]:
    """The size and modification time of each page that exists (by plain path strings:
    at 10,000 articles, 80,000 path objects took most of a second)."""
    stamps: dict[str, list[int]] = {}
    folder = os.fspath(content)
    for page in pages:
        try:
            stamps[page] = file_stamp(os.path.join(folder, page))
        except OSError:
            continue
    return stamps


def record_path(settings: Settings) -> Path | None:
    return None if settings.cache_dir is None else settings.cache_dir / RECORD


def load_record(settings: Settings) -> BuildRecord | None:
    """The last build's record; None if there is none, or it is damaged (the pages are
    then generated again), or `--no-cache`."""
    path = record_path(settings)
    if path is None or not settings.read_cache or not path.is_file():
        return None
    try:
        data = unsealed(path.read_bytes())
        return BuildRecord(str(data["digest"]), dict(data["report"]), dict(data["pages"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def forget_record(settings: Settings) -> None:
    path = record_path(settings)
    if path is None:
        return
    try:
        path.unlink(missing_ok=True)
    except OSError as error:  # its page stamps will not match the pages written next
        log.warning("%s: cannot remove the last build's record (%s)", path, error.strerror)


def save_record(settings: Settings, record: BuildRecord) -> None:
    path = record_path(settings)
    if path is None:
        return
    data = {"digest": record.digest, "report": record.report, "pages": record.pages}
    try_to_write(path, sealed(data))
