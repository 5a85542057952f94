"""Two builds in different folders, at different times, with different hash seeds and
locales (C without UTF-8 mode, C.UTF-8), give byte-identical sites: sitemap dates, the
gzip header of sitemap.xml.gz and the URLs of sources whose file names have no letter to
keep included."""

from __future__ import annotations

import gzip
import os
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import SEEDS, copy_project
from .hostile.test_build_safety import snapshot

pytestmark = pytest.mark.slow

DATED = "---\ntitle: Un article daté\ndate: 2017-03-02\n---\nLe général Maqsoud à Damas.\n"
EPOCH = 1488412800  # 2017-03-02T00:00:00Z, the newest article date
NO_LETTER_NAMES = {  # their slugs come from the hash of the name, not a counter
    "🔥.txt": "Un incendie\nLe feu a pris à Mossoul.\n",
    "💥.txt": "Une explosion\nUne explosion a eu lieu à Damas.\n",
    "داعش.txt": "Un nom arabe\nLe groupe a revendiqué l'attaque.\n",
}
LOCALES = {"1": {"LC_ALL": "C", "PYTHONUTF8": "0"}, "4242": {"LC_ALL": "C.UTF-8"}}


def project(folder: Path) -> Path:
    settings = copy_project(folder, SEEDS)
    (settings.articles_dir / "date.md").write_text(DATED, encoding="utf-8")
    for name, text in NO_LETTER_NAMES.items():
        (settings.articles_dir / name).write_text(text, encoding="utf-8")
    return settings.root


def start_build(root: Path, seed: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = seed
    env["SITE_URL"] = "https://example.org/"  # mkdocs.yml's site_url, as on GitHub Pages
    env.update(LOCALES[seed])
    command = [sys.executable, "-m", "generator.cli", "build", "--strict"]
    return subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory):
    first = project(tmp_path_factory.mktemp("first") / "here")
    second = project(tmp_path_factory.mktemp("second") / "elsewhere" / "deeper")
    builds = [start_build(first, "1")]
    time.sleep(2)  # a different second: any timestamp would show
    builds.append(start_build(second, "4242"))
    for build in builds:
        output, _ = build.communicate(timeout=600)
        assert build.returncode == 0, output
    return first / "site", second / "site"


def test_the_two_sites_are_byte_identical(two_sites):
    first, second = two_sites
    one, two = snapshot(first), snapshot(second)
    assert sorted(one) == sorted(two)
    different = [path for path in one if one[path] != two[path]]
    assert different == []
    assert len(one) > 50


def test_sitemap_dates_come_from_the_newest_article(two_sites):
    first, _ = two_sites
    sitemap = (first / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2017-03-02</lastmod>" in sitemap
    data = (first / "sitemap.xml.gz").read_bytes()
    (mtime,) = struct.unpack("<I", data[4:8])  # the gzip header's modification time
    assert mtime == EPOCH
    assert gzip.decompress(data).decode("utf-8") == sitemap


def test_sources_without_a_letter_to_keep_get_urls_from_their_names(two_sites):
    first, _ = two_sites
    pages = sorted(p.parent.name for p in (first / "sources").glob("*/index.html"))
    hashed = [name for name in pages if name.startswith("article-")]
    assert len(hashed) == 2 and all(len(name) == len("article-") + 8 for name in hashed)
    assert "d-sh" in pages
