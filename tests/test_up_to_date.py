"""What tells whether a site is still the build of its inputs (generator/site/up_to_date.py):
the environment variables mkdocs.yml reads, its plugins and hooks, the folders' files.
The builds that use it are in tests/test_fingerprint.py."""

from __future__ import annotations

import os

from generator.settings import Settings
from generator.site.up_to_date import folder_digest, only_known_extensions, site_key

CONFIG = "site_name: Dossier\nsite_url: !ENV [DOSSIER_SITE_URL, 'http://localhost/']\n"


def settings_with(tmp_path, config: str = CONFIG) -> Settings:
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    return Settings(root=tmp_path)


def test_the_key_follows_the_variables_mkdocs_yml_reads_and_no_other(tmp_path, monkeypatch):
    settings = settings_with(tmp_path)
    monkeypatch.setenv("DOSSIER_SITE_URL", "https://one.example/")
    key = site_key(settings, "digest", "0", {})
    monkeypatch.setenv("SOME_OTHER_VARIABLE", "changed")
    assert site_key(settings, "digest", "0", {}) == key
    monkeypatch.setenv("DOSSIER_SITE_URL", "https://two.example/")
    assert site_key(settings, "digest", "0", {}) != key
    assert site_key(settings, "other digest", "0", {}) != site_key(settings, "digest", "0", {})
    assert site_key(settings, "digest", "1", {}) != site_key(settings, "digest", "0", {})


def test_the_key_follows_the_theme_s_custom_folder(tmp_path):
    settings = settings_with(tmp_path)
    config = {"theme": {"name": "material", "custom_dir": "overrides"}}
    (tmp_path / "overrides").mkdir()
    key = site_key(settings, "digest", "0", config)
    (tmp_path / "overrides" / "main.html").write_text("{% extends 'base.html' %}")
    assert site_key(settings, "digest", "0", config) != key


def test_unknown_plugins_and_hooks_are_never_up_to_date():
    assert only_known_extensions({"plugins": ["search", {"dossier-search": {}}]})
    assert not only_known_extensions({"plugins": ["search", "blog"]})
    assert not only_known_extensions({"plugins": ["search"], "hooks": ["hooks.py"]})


def test_a_file_touched_or_added_changes_the_folder_digest(tmp_path):
    (tmp_path / "a").mkdir()
    page = tmp_path / "a" / "page.html"
    page.write_text("one")
    digest = folder_digest(tmp_path)
    assert folder_digest(tmp_path) == digest
    os.utime(page, ns=(1, 1))
    assert folder_digest(tmp_path) != digest
    touched = folder_digest(tmp_path)
    (tmp_path / "a" / "new.txt").write_text("")
    assert folder_digest(tmp_path) != touched


def test_a_file_replaced_by_another_of_its_size_and_time_changes_the_site_digest(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    page, other = site / "page.html", tmp_path / "other.html"
    for path in (page, other):
        path.write_text("one")
        os.utime(path, ns=(1, 1))
    stamps, with_inodes = folder_digest(site), folder_digest(site, with_inodes=True)
    os.replace(other, page)  # both existed at once: another inode
    assert folder_digest(site) == stamps
    assert folder_digest(site, with_inodes=True) != with_inodes
