"""Sites compared file by file: the hash of every file of a folder tree, and the site a
clean build makes of a content folder (MkDocs' own `build`, nothing kept from before)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.site.folders import SITE_MARKER


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file of the tree (the site marker aside) and the sha256 of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != SITE_MARKER
    }


def clean_build(config_file: Path, content: Path, site: Path, epoch: str | None) -> Path:
    """The site MkDocs' own strict build makes of the content folder, from nothing."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        config = load_config(
            str(config_file), docs_dir=str(content), site_dir=str(site), strict=True
        )
        build(config)
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    return site


def differences(site: Path, clean: Path) -> list[str]:
    """The files that differ between the two sites, or are in one only."""
    ours, theirs = tree_digest(site), tree_digest(clean)
    return sorted(
        name for name in ours.keys() | theirs.keys() if ours.get(name) != theirs.get(name)
    )
