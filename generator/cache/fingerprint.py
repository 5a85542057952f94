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
import time
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from generator.cache.files import sealed, try_to_write, unsealed
from generator.files import file_stamp, read_regular_file
from generator.settings import Settings

log = logging.getLogger(__name__)

RECORD = "last-build.json"
RECORD_FORMAT = 3
SETTLED_NS = 2_000_000_000
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
    hashes: dict[str, list[Any]] = field(default_factory=dict)  # see `FileHashes`

    def fresh(self, digest: str, content: Path) -> bool:
        """Made from the same inputs, and the pages are still the files written then."""
        return digest == self.digest and self.pages == page_stamps(content, list(self.pages))


def inputs_digest(settings: Settings, hashes: FileHashes | None = None) -> str:
    """The digest of what the pages depend on; `hashes`: the input files' hashes kept by
    the last build's record, and where this digest leaves them."""
    digest = hashlib.sha256(f"record {RECORD_FORMAT}\0python {sys.version}\0".encode())
    for name in sorted(vars(settings)):
        if name not in UNUSED_SETTINGS:
            value = f"setting {name}={getattr(settings, name)}\0"
            digest.update(value.encode(errors="surrogateescape"))
    hashes = hashes or FileHashes({})
    for label, folder in (
        ("articles", settings.articles_dir),
        ("templates", settings.templates_dir),
        ("generator", Path(str(resources.files("generator")))),
    ):
        _update_with_folder(digest, label, folder, hashes)
    for path in (settings.corrections_file, settings.mkdocs_file):
        digest.update(f"file {path} {hashes.of(path)}\0".encode(errors="surrogateescape"))
    for package in sorted(f"{d.metadata['Name']} {d.version}" for d in metadata.distributions()):
        digest.update(f"package {package}\0".encode())
    return digest.hexdigest()


def _update_with_folder(
    digest: hashlib._Hash, label: str, folder: Path, hashes: FileHashes
) -> None:
    if not folder.is_dir():
        digest.update(f"{label}: no folder\0".encode())
        return
    for path in sorted(folder.rglob("*")):
        if "__pycache__" in path.parts or path.is_dir():
            continue
        name = path.relative_to(folder).as_posix()
        digest.update(f"{label} {name} {hashes.of(path)}\0".encode(errors="surrogateescape"))


class FileHashes:
    """The SHA-256 of each input file by the file's status (size, modification and change
    times, inode), as git's index keeps them, in the last build's record: a file is read
    again only when its status changed (at 10,000 articles, reading the articles' 40 MB
    took 0.8 s of every build). A file changed in the moment it was read could keep its
    status: one changed less than `SETTLED_NS` before it was read is not kept."""

    def __init__(self, known: dict[str, list[Any]]) -> None:
        self.known = known
        self.seen: dict[str, list[Any]] = {}  # what the next build's record keeps

    def of(self, path: Path) -> str:
        """The file's SHA-256, or why it cannot be read (a missing file, a broken link, a
        FIFO: a state like any other)."""
        try:
            status = os.stat(path)
            stamp = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
            key = os.fspath(path)
            known = self.known.get(key)
            if known is not None and known[:4] == stamp:  # only regular files are kept
                self.seen[key] = known
                return str(known[4])
            sha = hashlib.sha256(read_regular_file(path)).hexdigest()  # never waits on a FIFO
        except OSError as error:
            return f"unreadable: {error.strerror or error}"
        if time.time_ns() - status.st_ctime_ns > SETTLED_NS:
            self.seen[key] = [*stamp, sha]
        return sha


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
        hashes = dict(data["hashes"])
        if not all(isinstance(v, list) and len(v) == 5 for v in hashes.values()):
            raise ValueError("hashes: not lists of 5 items")
        return BuildRecord(str(data["digest"]), dict(data["report"]), dict(data["pages"]), hashes)
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
    data = {
        "digest": record.digest,
        "report": record.report,
        "pages": record.pages,
        "hashes": record.hashes,
    }
    try_to_write(path, sealed(data))
