"""Crash safety through the real `dossier build`, run as a process: the site it makes
(marked, readable by all), a damaged cache repaired, and SIGINT / SIGTERM in the middle
of a build (one line, exit 130 / 143, the previous site and the cache as they were, no
process left behind). One project, built once for the module."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.cache import files

from ..conftest import SEEDS, copy_project
from .test_build_safety import snapshot

pytestmark = pytest.mark.slow


def start_build(root: Path, *arguments: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "generator.cli", "build", *arguments]
    return subprocess.Popen(
        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(build: subprocess.Popen[str]) -> tuple[int, str]:
    _, errors = build.communicate(timeout=300)
    return build.returncode, errors


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    settings = copy_project(tmp_path_factory.mktemp("crash") / "project", SEEDS)
    code, errors = finish(start_build(settings.root))
    assert code == 0, errors
    return settings


def cached_entries(root: Path) -> dict[str, bytes]:
    """The cache's entries; not the files a build rewrites whole before it extracts (the
    last build's record, the languages decided), which are written atomically."""
    cache = snapshot(root / ".dossier-cache")
    rewritten = {"last-build.json", "languages.json"}
    return {path: data for path, data in cache.items() if path not in rewritten}


def test_the_site_is_marked_and_readable_by_everyone(project):
    site = project.site_dir
    assert (site / ".dossier-site").is_file()
    for path in [site, *site.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o755 if path.is_dir() else 0o644), path


def test_a_damaged_cache_is_recomputed_with_a_line_each_and_repaired(project):
    cache = project.root / ".dossier-cache"
    [entry, *_] = sorted((cache / "extract").rglob("*.json"))
    payload = files.unsealed(entry.read_bytes())
    payload["mentions"][0]["text"] = 5
    entry.write_bytes(files.sealed(payload))
    [parse, *_] = sorted((cache / "parse").rglob("*.spacy"))
    parse.write_bytes(parse.read_bytes()[:-10])
    shutil.rmtree(cache / "accounts")  # or the events come from there, the parses unread
    record = cache / "last-build.json"
    record.write_bytes(files.sealed({**files.unsealed(record.read_bytes()), "report": {}}))
    code, errors = finish(start_build(project.root))
    assert code == 0, errors
    assert f"{entry}: damaged cache entry (text is not str: 5), extracting again" in errors
    assert f"{parse}: damaged cache entry (checksum mismatch), parsing again" in errors
    assert "the last build's record is damaged" in errors
    assert "Traceback" not in errors
    assert files.unsealed(entry.read_bytes())["mentions"][0]["text"] != 5  # repaired


def processes_in(folder: Path) -> list[int]:
    """The processes (but this one) whose working folder is `folder`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if Path(os.readlink(entry / "cwd")) == folder:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def wait_for(condition, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_sigterm_during_mkdocs_stops_it_and_leaves_no_staging_folder(project):
    root = project.root
    site, cache = snapshot(project.site_dir), cached_entries(root)
    (project.content_dir / "a-propos.md").touch()  # the pages are as they were, not the site
    build = start_build(root)  # straight to MkDocs
    wait_for(lambda: any(root.glob(".site-staging-*/*")))
    build.send_signal(signal.SIGTERM)
    code, errors = finish(build)
    assert code == 143
    assert errors.endswith(
        "stopped by SIGTERM: the previous site is kept as it was; build again to finish the pages\n"
    )
    assert "Traceback" not in errors
    assert snapshot(project.site_dir) == site
    assert cached_entries(root) == cache
    assert list(root.glob(".site*")) == []
    assert processes_in(root) == []


def test_sigint_during_extraction_stops_with_one_line_and_keeps_the_site(project):
    root = project.root
    site, cache = snapshot(project.site_dir), cached_entries(root)
    new = project.articles_dir / "nouveau.txt"
    new.write_text("Un nouvel article\nLe ministre est arrivé à Mossoul.\n", encoding="utf-8")
    try:
        build = start_build(root)
        wait_for(lambda: (project.content_dir / ".dossier-build.lock").exists())
        time.sleep(1)  # loading the model
        build.send_signal(signal.SIGINT)
        code, errors = finish(build)
    finally:
        new.unlink()
    assert code == 130
    assert errors == (
        "stopped by SIGINT: the previous site is kept as it was; build again to finish the pages\n"
    )
    assert snapshot(project.site_dir) == site
    assert cached_entries(root) == cache
    assert processes_in(root) == []
