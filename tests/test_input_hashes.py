"""The fingerprint of a build's inputs reads a file again only when its status changed:
the hash the last build's record kept for an unchanged file is used, and any change of
the file (even one that restores its size and modification time) is noticed."""

from __future__ import annotations

import dataclasses
import os

import pytest

from generator.cache import fingerprint
from generator.cache.fingerprint import FileHashes, inputs_digest

from .conftest import copy_project


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setattr(fingerprint, "SETTLED_NS", 0)  # files just written count as settled
    return copy_project(tmp_path / "project", {"a.txt": "Un article.\n"})


def hashes_seen(settings) -> dict:
    hashes = FileHashes({})
    inputs_digest(settings, hashes)
    return hashes.seen


def test_an_unchanged_file_is_not_read_again(project):
    digest = inputs_digest(project)
    article = project.articles_dir / "a.txt"
    known = hashes_seen(project)
    known[os.fspath(article)][4] = "kept"  # what a read would not give
    assert FileHashes(known).of(article) == "kept"
    assert inputs_digest(project, FileHashes(known)) != digest  # the kept hash, not the bytes


def test_a_changed_file_is_read_again_even_with_its_old_size_and_time(project):
    article = project.articles_dir / "a.txt"
    digest = inputs_digest(project)
    known = hashes_seen(project)
    status = article.stat()
    article.write_text("Un artiche.\n", encoding="utf-8")  # the same size
    os.utime(article, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert inputs_digest(project, FileHashes(known)) != digest  # its change time moved


def test_a_file_changed_in_the_moment_it_was_read_is_not_kept(project, monkeypatch):
    monkeypatch.setattr(fingerprint, "SETTLED_NS", 60 * 10**9)
    assert os.fspath(project.articles_dir / "a.txt") not in hashes_seen(project)


def test_the_digest_is_the_same_with_or_without_kept_hashes(project):
    digest = inputs_digest(project)
    assert inputs_digest(project, FileHashes(hashes_seen(project))) == digest
    assert inputs_digest(dataclasses.replace(project, cache=None)) == digest
