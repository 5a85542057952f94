"""Write: the generated pages into the content folder, and only what changed.

A manifest (`.dossier-manifest.json`) records each generated file with the SHA-256 of
the text written, so that a rebuild rewrites only the pages that changed, removes the
ones no longer generated, and never overwrites or removes a page written by hand. It is
written before the pages too, naming those about to be written, so that a build
interrupted half-way (Ctrl-C, a full disk) is finished by the next one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.errors import BuildError
from generator.files import file_hash, file_stamp, remove_empty_folders, write_atomically
from generator.records import (
    BuildReport,
    Page,
)
from generator.site.lock import LOCK
from generator.timing import progress

MANIFEST = ".dossier-manifest.json"


def write_pages(pages: Iterable[Page], content: Path) -> BuildReport:
    report = BuildReport()
    content.mkdir(parents=True, exist_ok=True)
    previous = read_manifest(content)
    known_inputs = read_inputs(content)
    pages = list(pages)
    targets = safe_targets(content, [page.path for page in pages])
    for page in pages:
        if page.path not in previous and targets[page.path].exists():
            raise BuildError(
                f"{targets[page.path]}: a hand-written page is in the way of a generated "
                "page; rename it or remove it (nothing was written)"
            )
    remove_leftover_temporaries(content, pending_pages(content))
    fresh: dict[str, str] = {}  # the hash of each page rendered
    changed = []
    for page in pages:
        if not page.kept:
            data = page.data
            fresh[page.path] = hashlib.sha256(data).hexdigest()
            if not _same_bytes(targets[page.path], data):
                changed.append(page)
    stale = sorted(set(previous) - set(targets))
    report.unchanged = len(pages) - len(changed)
    try:
        if changed or stale:  # the pages about to be written are known to be ours
            pending = {page.path: fresh[page.path] for page in changed}
            rewritten = {page.path for page in changed}
            still = {p: i for p, i in known_inputs.items() if p not in rewritten}
            write_manifest(content, previous, pending, still)
        for page in progress(changed, len(changed), "write", "page"):
            target = targets[page.path]
            if target.exists() and file_hash(target) != previous.get(page.path):
                report.notes.append(f"{target}: edited by hand since it was generated: rewritten")
            write_file(target, page.data)
            report.written.append(page.path)
        remove_stale_pages(content, stale, previous, report)
        hashes = {p.path: previous[p.path] if p.kept else fresh[p.path] for p in pages}
        write_manifest(content, hashes, inputs=recorded_inputs(pages, known_inputs))
    except OSError as error:
        raise BuildError(
            f"cannot write the pages in {content}: {error.strerror} ({error.filename}); "
            "the previous site is kept, and the next build finishes the pages"
        ) from error
    return report


def recorded_inputs(pages: list[Page], known: dict[str, str]) -> dict[str, str]:
    """Each page's input digest, as the next build checks it (see `KeptPages`); a kept
    page keeps its record. Digests only: the manifest is part of the content folder,
    which the same inputs make byte for byte the same."""
    recorded: dict[str, str] = {}
    for page in pages:
        if page.kept:
            recorded[page.path] = known[page.path]
        elif page.inputs is not None:
            recorded[page.path] = page.inputs
    return recorded


class KeptPages:
    """Whether a page can be kept: its inputs are those recorded for its file last time,
    and the file is the one written then: the size and modification time the last build
    saw after writing it (`stamps`), else the text hash of the manifest (hashing 80,000
    kept pages took 19 s of CPU at 10,000 articles)."""

    def __init__(self, content: Path, stamps: dict[str, list[int]]) -> None:
        self.known, self.written = read_inputs(content), read_manifest(content)
        self.stamps = stamps
        try:
            self.targets = safe_targets(content, list(self.known))
        except BuildError:  # a damaged record: `write_pages` says so
            self.known, self.targets = {}, {}
        self._folders: dict[str, list[str]] | None = None

    def __call__(self, path: str, inputs: str) -> bool:
        return self.known.get(path) == inputs and self.intact(path)

    def under(self, folder: str) -> list[str] | None:
        if self._folders is None:
            self._folders = pages_by_folder(self.known)
        paths = self._folders.get(folder, [])
        return paths if all(self.intact(path) for path in paths) else None

    def intact(self, path: str) -> bool:
        """Whether the page's file is the one the last build wrote."""
        if self.written.get(path) is None:
            return False
        try:
            stamp = self.stamps.get(path)
            if stamp is not None and file_stamp(self.targets[path]) == stamp:
                return True
            return file_hash(self.targets[path]) == self.written[path]
        except OSError:
            return False


def pages_by_folder(paths: Iterable[str]) -> dict[str, list[str]]:
    """The pages in each folder (its path ending in `/`) and in the folders inside it."""
    folders: dict[str, list[str]] = {}
    for path in sorted(paths):
        folder, _, _ = path.rpartition("/")
        while folder:
            folders.setdefault(folder + "/", []).append(path)
            folder, _, _ = folder.rpartition("/")
    return folders


def read_inputs(content: Path) -> dict[str, str]:
    """Page -> input digest recorded by the last build (none if the manifest has no
    such record: every page is rendered)."""
    path = content / MANIFEST
    try:
        recorded = json.loads(path.read_text(encoding="utf-8")).get("inputs", {})
    except (OSError, ValueError, AttributeError):
        return {}
    if not isinstance(recorded, dict):
        return {}
    return {str(page): digest for page, digest in recorded.items() if isinstance(digest, str)}


def _same_bytes(target: Path, data: bytes) -> bool:
    """Whether the file holds `data` (its size first: most changed pages differ in it)."""
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def remove_stale_pages(
    content: Path, stale: list[str], previous: dict[str, str | None], report: BuildReport
) -> None:
    """Remove the pages no longer generated, but those edited by hand since."""
    for page in stale:
        target = safe_target(content, page)
        if not target.exists():
            continue
        if previous[page] is not None and file_hash(target) != previous[page]:
            report.notes.append(f"{target}: edited by hand, no longer generated: kept")
            continue
        target.unlink()
        report.removed.append(page)
        remove_empty_folders(target.parent, content)


def temporary_of(target: Path) -> Path:
    return target.with_name(f".{target.name}.tmp")


def write_file(target: Path, data: bytes) -> None:
    """Write `target` whole or not at all, through its known temporary file (which the
    next build removes if an interruption left it)."""
    write_atomically(target, data, temporary_of(target))


def remove_leftover_temporaries(content: Path, pages: Iterable[str]) -> None:
    """The temporary files of the manifest and of these pages that an interrupted build
    left behind (nobody else writes them: a lock keeps a second build out). Only the
    pages pending in the manifest can have one: a build names the pages it is about to
    write before writing any."""
    temporary_of(content / MANIFEST).unlink(missing_ok=True)
    for page in pages:
        temporary_of(safe_target(content, page)).unlink(missing_ok=True)


def safe_target(content: Path, relative: str) -> Path:
    """The file for a page path, refusing any path that would leave the content folder."""
    target = (content / relative).resolve()
    if "\x00" in relative or not target.is_relative_to(content.resolve()) or target == content:
        raise BuildError(f"refusing to write outside {content}: {relative!r}")
    return target


def safe_targets(content: Path, relatives: list[str]) -> dict[str, Path]:
    """`safe_target` of each page, each folder resolved once (a page's own name is
    resolved only if it is a link): resolving tens of thousands of paths component by
    component took seconds."""
    root = content.resolve()
    folders: dict[str, Path] = {}
    links: dict[str, set[str]] = {}
    inside: dict[str, bool] = {}
    targets = {}
    for relative in relatives:
        folder, _, name = relative.rpartition("/")
        if "\x00" in relative or name in ("", ".", "..") or "\\" in name:
            targets[relative] = safe_target(content, relative)
            continue
        if folder not in folders:
            folders[folder] = (content / folder).resolve() if folder else root
            links[folder] = symbolic_links(folders[folder])
            inside[folder] = folders[folder].is_relative_to(root)
        target = folders[folder] / name
        if name in links[folder] or not inside[folder]:
            target = safe_target(content, relative)
        targets[relative] = target
    return targets


def symbolic_links(folder: Path) -> set[str]:
    """The names of the symbolic links in a folder, from one listing of it (asking each
    of 80,000 pages whether it is a link took 3.6 s)."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name for entry in entries if entry.is_symlink()}
    except (FileNotFoundError, NotADirectoryError):
        return set()


def pending_pages(content: Path) -> list[str]:
    """The pages an interrupted build was about to write (see `read_manifest`)."""
    try:
        pending = json.loads((content / MANIFEST).read_text(encoding="utf-8")).get("pending")
    except (OSError, ValueError, AttributeError):
        return []
    return [str(page) for page in pending] if isinstance(pending, dict) else []


def read_manifest(content: Path) -> dict[str, str | None]:
    """Generated page -> SHA-256 of the text written (None: unknown, an older manifest).

    A build records the pages it is about to write (`pending`) before writing them: if
    it is interrupted, the next one knows them as its own, and takes the new hash of
    those that were written."""
    path = content / MANIFEST
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        generated = data["generated"]
        if isinstance(generated, list):
            return dict.fromkeys(map(str, generated))
        pages = {str(k): (str(v) if v else None) for k, v in generated.items()}
        pending = {str(k): str(v) for k, v in data.get("pending", {}).items()}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BuildError(f"{path}: unreadable manifest ({error}); delete it and rebuild") from error
    for page, new_hash in pending.items():
        target = safe_target(content, page)
        if page not in pages or (target.is_file() and file_hash(target) == new_hash):
            pages[page] = new_hash
    return pages


def write_manifest(
    content: Path,
    pages: dict[str, str | None],
    pending: dict[str, str] | None = None,
    inputs: dict[str, str] | None = None,
) -> None:
    data: dict[str, dict[str, Any]] = {"generated": dict(sorted(pages.items()))}
    if pending:
        data["pending"] = dict(sorted(pending.items()))
    if inputs:
        data["inputs"] = dict(sorted(inputs.items()))
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    write_file(content / MANIFEST, text.encode("utf-8"))


def copy_hand_written_content(source: Path, target: Path) -> None:
    """Copy the hand-written pages and assets, not what an earlier `dossier build` wrote."""
    generated = set(read_manifest(source)) | {MANIFEST, LOCK}
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source).as_posix()
        if path.is_file() and relative not in generated and path.name != ".gitignore":
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target / relative)
