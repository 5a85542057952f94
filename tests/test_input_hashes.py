"""The fingerprint of a build's inputs reads a file again only when its status changed:
the hash kept for an unchanged file is used, and any change of the file (even one that
restores its size and modification time) is noticed."""

from __future__ import annotations

import dataclasses
import os

import pytest

from generator.cache import fingerprint
from generator.cache.files import sealed, unsealed
from generator.cache.fingerprint import HASHES, FileHashes, inputs_digest

from .conftest import copy_project


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setattr(fingerprint, "SETTLED_NS", 0)  # files just written count as settled
    return copy_project(tmp_path / "project", {"a.txt": "Un article.\n"})


def kept_hashes(settings) -> dict:
    return unsealed((settings.cache_dir / HASHES).read_bytes())["files"]


def test_an_unchanged_file_is_not_read_again(project):
    digest = inputs_digest(project)
    article = os.fspath(project.articles_dir / "a.txt")
    hashes = kept_hashes(project)
    hashes[article][4] = "kept"  # what a read would not give
    (project.cache_dir / HASHES).write_bytes(sealed({"files": hashes}))
    assert FileHashes(project).of(project.articles_dir / "a.txt") == "kept"
    assert inputs_digest(project) != digest  # the kept hash, not the file's bytes


def test_a_changed_file_is_read_again_even_with_its_old_size_and_time(project):
    article = project.articles_dir / "a.txt"
    digest = inputs_digest(project)
    status = article.stat()
    article.write_text("Un artiche.\n", encoding="utf-8")  # the same size
    os.utime(article, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert inputs_digest(project) != digest  # its change time moved


def test_a_file_changed_in_the_moment_it_was_read_is_not_kept(project, monkeypatch):
    monkeypatch.setattr(fingerprint, "SETTLED_NS", 60 * 10**9)
    inputs_digest(project)
    assert os.fspath(project.articles_dir / "a.txt") not in kept_hashes(project)


def test_the_digest_is_the_same_with_or_without_kept_hashes(project):
    digest = inputs_digest(project)
    assert inputs_digest(project) == digest  # from the kept hashes
    assert inputs_digest(dataclasses.replace(project, cache=None)) == digest  # every file read
    assert inputs_digest(dataclasses.replace(project, read_cache=False)) == digest


def test_a_damaged_hashes_file_is_a_warning_and_every_file_is_read(project, caplog):
    digest = inputs_digest(project)
    path = project.cache_dir / HASHES
    path.write_bytes(path.read_bytes()[:-5])
    assert inputs_digest(project) == digest
    assert f"{path}: damaged cache file (checksum mismatch), reading the inputs again" in (
        caplog.text
    )
    assert kept_hashes(project)  # written again
