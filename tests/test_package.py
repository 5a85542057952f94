"""The third-party JavaScript and data the site serves are package data, vendored from npm
by scripts/vendor-assets.sh, so that no user needs Node (tests/test_new_dossier.py
installs the package and builds a dossier with it)."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "generator" / "static" / "vendor"


def vendored_versions() -> dict[str, str]:
    lines = (VENDOR / "VERSIONS").read_text(encoding="utf-8").splitlines()
    return dict(line.split()[:2] for line in lines if line and not line.startswith("#"))


def test_the_vendored_files_are_the_versions_package_lock_pins():
    """Whoever changes package-lock.json runs scripts/vendor-assets.sh too (its
    devDependencies, axe-core, are test tools, never vendored)."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    wanted = lock["packages"][""]["dependencies"]  # not Leaflet, markercluster's peer:
    pinned = {name: lock["packages"][f"node_modules/{name}"]["version"] for name in wanted}
    assert vendored_versions() == pinned  # the site's Leaflet is xstatic-leaflet's
    for folder in ("cytoscape", "world-atlas", "leaflet.markercluster"):
        assert (VENDOR / folder / "LICENSE.txt").stat().st_size > 100
