"""Two builds in different folders, at different times, with different hash seeds, give
byte-identical sites: sitemap dates and the gzip header of sitemap.xml.gz included."""

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


def project(folder: Path) -> Path:
    settings = copy_project(folder, SEEDS)
    (settings.articles_dir / "date.md").write_text(DATED, encoding="utf-8")
    config = settings.mkdocs_file.read_text(encoding="utf-8")  # a site_url: a real sitemap
    settings.mkdocs_file.write_text(f"site_url: https://example.org/\n{config}", encoding="utf-8")
    return settings.root


def start_build(root: Path, seed: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = seed
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
