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
import json
import sys
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from generator.settings import Settings

RECORD = "last-build.json"
RECORD_FORMAT = 1
UNUSED_SETTINGS = ("root", "cache", "jobs")  # where and how fast, not what is built


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
        data = path.read_bytes()
    except OSError as error:  # missing, or a broken link: a state like any other
        data = f"unreadable: {error.strerror}".encode()
    digest.update(f"{label} {len(data)}\0".encode(errors="surrogateescape"))  # any file name
    digest.update(data)


def page_stamps(content: Path, pages: list[str]) -> dict[str, list[int]]:
    stamps: dict[str, list[int]] = {}
    for page in pages:
        try:
            status = (content / page).stat()
        except OSError:
            continue
        stamps[page] = [status.st_size, status.st_mtime_ns]
    return stamps


def record_path(settings: Settings) -> Path | None:
    return None if settings.cache_dir is None else settings.cache_dir / RECORD


def load_record(settings: Settings) -> BuildRecord | None:
    path = record_path(settings)
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return BuildRecord(str(data["digest"]), dict(data["report"]), dict(data["pages"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # an unreadable record only means the pages are generated again


def forget_record(settings: Settings) -> None:
    path = record_path(settings)
    if path is not None:
        path.unlink(missing_ok=True)


def save_record(settings: Settings, record: BuildRecord) -> None:
    path = record_path(settings)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    data = {"digest": record.digest, "report": record.report, "pages": record.pages}
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)
