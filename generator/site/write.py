"""Write: the generated pages into the content folder, and only what changed.

A manifest (`.dossier-manifest.json`) records each generated file with the SHA-256 of
the text written, so that a rebuild rewrites only the pages that changed, removes the
ones no longer generated, and never overwrites or removes a page written by hand.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from pathlib import Path

from generator.errors import BuildError
from generator.records import (
    BuildReport,
    Page,
)
from generator.timing import progress

MANIFEST = ".dossier-manifest.json"


def write_pages(pages: Iterable[Page], content: Path) -> BuildReport:
    report = BuildReport()
    content.mkdir(parents=True, exist_ok=True)
    previous = read_manifest(content)
    pages = list(pages)
    targets = {page.path: safe_target(content, page.path) for page in pages}
    for page in pages:
        if targets[page.path].exists() and page.path not in previous:
            raise BuildError(
                f"{targets[page.path]}: a hand-written page is in the way of a generated "
                "page; rename it or remove it (nothing was written)"
            )
    for page in progress(pages, len(pages), "write", "page"):
        target = targets[page.path]
        if target.exists() and target.read_bytes() == page.text.encode("utf-8"):
            report.unchanged += 1
            continue
        if target.exists() and file_hash(target) != previous.get(page.path):
            report.notes.append(f"{target}: edited by hand since it was generated: rewritten")
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(page.text.encode("utf-8"))
        temporary.replace(target)
        report.written.append(page.path)
    for stale in sorted(set(previous) - set(targets)):
        target = safe_target(content, stale)
        if not target.exists():
            continue
        if previous[stale] is not None and file_hash(target) != previous[stale]:
            report.notes.append(f"{target}: edited by hand, no longer generated: kept")
            continue
        target.unlink()
        report.removed.append(stale)
        _remove_empty_parents(target.parent, content)
    write_manifest(content, {page.path: text_hash(page.text) for page in pages})
    return report


def safe_target(content: Path, relative: str) -> Path:
    """The file for a page path, refusing any path that would leave the content folder."""
    target = (content / relative).resolve()
    if "\x00" in relative or not target.is_relative_to(content.resolve()) or target == content:
        raise BuildError(f"refusing to write outside {content}: {relative!r}")
    return target


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(content: Path) -> dict[str, str | None]:
    """Generated page -> SHA-256 of the text written (None: unknown, an older manifest)."""
    path = content / MANIFEST
    if not path.exists():
        return {}
    try:
        generated = json.loads(path.read_text(encoding="utf-8"))["generated"]
        if isinstance(generated, list):
            return dict.fromkeys(map(str, generated))
        return {str(k): (str(v) if v else None) for k, v in generated.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BuildError(f"{path}: unreadable manifest ({error}); delete it and rebuild") from error


def write_manifest(content: Path, pages: dict[str, str]) -> None:
    data = {"generated": dict(sorted(pages.items()))}
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    temporary = content / f"{MANIFEST}.tmp"
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(content / MANIFEST)


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def copy_hand_written_content(source: Path, target: Path) -> None:
    """Copy the hand-written pages and assets, not what an earlier `dossier build` wrote."""
    generated = set(read_manifest(source)) | {MANIFEST}
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source).as_posix()
        if path.is_file() and relative not in generated and path.name != ".gitignore":
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target / relative)
