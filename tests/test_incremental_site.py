"""The incremental MkDocs build (generator/site/incremental.py): what it renders again,
what it keeps, when it falls back to a full build, and that its site is the one MkDocs'
own clean build makes of the same content, byte for byte."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from generator.errors import BuildError
from generator.settings import Settings
from generator.site import mkdocs_pages
from generator.site.build import MkDocsProcess, build_site, mkdocs_ahead, site_state_file
from generator.site.mkdocs_build import main as mkdocs_build

from .site_trees import clean_build, differences

pytestmark = pytest.mark.slow

EPOCH = "1500000000"


@pytest.fixture
def project(seeds_site, tmp_path) -> Settings:
    """A copy of the built sample dossier (content, config, caches), its site built."""
    settings, _ = seeds_site
    root = tmp_path / "project"
    shutil.copytree(settings.root, root, ignore=shutil.ignore_patterns("site", "site-*"))
    copy = dataclasses.replace(settings, root=root)
    build_site(copy, EPOCH)
    return copy


def rebuild(settings: Settings) -> str:
    return build_site(settings, EPOCH)


def same_as_clean_build(settings: Settings, tmp_path: Path) -> list[str]:
    clean = clean_build(settings.mkdocs_file, settings.content_dir, tmp_path / "clean", EPOCH)
    return differences(settings.site_dir, clean)


def test_a_rebuild_with_no_change_renders_no_page(project, tmp_path):
    state = site_state_file(project)
    assert state is not None and state.is_file()
    summary = rebuild(project)
    assert summary.startswith("site: 0 pages rendered, ")
    assert "full build" not in summary
    assert same_as_clean_build(project, tmp_path) == []


def test_a_changed_page_is_rendered_again_with_the_shared_outputs(project, tmp_path):
    page = project.content_dir / "a-propos.md"
    page.write_text(page.read_text("utf-8") + "\nUn mot nouveau : zanzibarique.\n", "utf-8")
    summary = rebuild(project)
    assert summary.startswith("site: 1 pages rendered, ")
    assert "zanzibarique" in (project.site_dir / "a-propos" / "index.html").read_text("utf-8")
    search = project.site_dir / "search"
    assert any("zanzibarique" in path.read_text("utf-8") for path in search.rglob("*.js*"))
    assert same_as_clean_build(project, tmp_path) == []


def test_an_added_and_then_removed_page_leaves_the_site_of_a_clean_build(project, tmp_path):
    extra = project.content_dir / "extra.md"
    extra.write_text("# Une page de plus\n\nRien d'autre.\n", "utf-8")
    assert rebuild(project).startswith("site: 1 pages rendered, ")
    assert (project.site_dir / "extra" / "index.html").is_file()
    extra.unlink()
    assert rebuild(project).startswith("site: 0 pages rendered, ")
    assert not (project.site_dir / "extra").exists()
    assert same_as_clean_build(project, tmp_path) == []


def test_an_incremental_build_updates_the_site_in_place(project, tmp_path):
    """The pages kept are the very files of the previous site (not copies, not links
    into a new folder); only what was rendered again and the shared outputs are new."""
    kept = project.site_dir / "sources" / "index.html"
    before = kept.stat().st_ino
    page = project.content_dir / "a-propos.md"
    page.write_text(page.read_text("utf-8") + "\nUn mot nouveau : zanzibarique.\n", "utf-8")
    assert rebuild(project).startswith("site: 1 pages rendered, ")
    assert kept.stat().st_ino == before
    assert kept.stat().st_nlink == 1
    assert not list(project.root.glob(".site*"))  # neither a staging folder nor an old site
    assert not (project.site_dir / ".dossier-kept").exists()
    assert same_as_clean_build(project, tmp_path) == []


def test_a_removed_page_that_others_link_to_fails_as_a_clean_build_would(project):
    linked = next((project.content_dir / "sources").glob("*.md"))
    assert linked.name != "index.md"
    linked.unlink()
    before = (project.site_dir / "index.html").read_bytes()
    state = site_state_file(project)
    assert state is not None
    state_before = state.read_bytes()
    with pytest.raises(BuildError, match="previous site kept"):
        rebuild(project)
    assert (project.site_dir / "index.html").read_bytes() == before
    assert state.read_bytes() == state_before  # the state that build wrote, not put in place
    assert [path.name for path in state.parent.iterdir() if "partial" in path.name] == []


def test_mkdocs_started_ahead_and_never_told_to_build_is_stopped(project):
    with MkDocsProcess(project) as mkdocs:
        assert mkdocs.process.poll() is None  # waiting for its arguments
    assert mkdocs.process.returncode is not None


def test_mkdocs_is_started_ahead_only_to_read_a_previous_build_state(project):
    mkdocs = mkdocs_ahead(project)  # to read the state of the site the fixture built
    assert mkdocs is not None
    with mkdocs:
        assert mkdocs.process.args[-1] == str(site_state_file(project))
    assert mkdocs_ahead(dataclasses.replace(project, read_cache=False)) is None
    site_state_file(project).unlink()
    assert mkdocs_ahead(project) is None  # a first build: MkDocs starts when it is needed


def test_a_change_of_mkdocs_yml_is_a_full_build_that_says_so(project, tmp_path):
    config = project.mkdocs_file
    config.write_text(config.read_text("utf-8").replace("Dossier généré", "Dossier fait"), "utf-8")
    summary = rebuild(project)
    assert summary.endswith("0 kept (full build: mkdocs.yml changed)")
    assert "Dossier fait" in (project.site_dir / "index.html").read_text("utf-8")
    assert same_as_clean_build(project, tmp_path) == []


def test_a_damaged_state_is_a_full_build_that_says_so(project):
    state = site_state_file(project)
    assert state is not None
    state.write_text("{not json", "utf-8")
    assert rebuild(project).endswith("(full build: the build state is damaged)")
    assert rebuild(project).startswith("site: 0 pages rendered, ")


def test_a_page_edited_in_the_previous_site_is_rendered_again(project, tmp_path):
    html = project.site_dir / "a-propos" / "index.html"
    html.write_text("<p>modifié à la main</p>", "utf-8")
    assert rebuild(project).startswith("site: 1 pages rendered, ")
    assert same_as_clean_build(project, tmp_path) == []


def test_the_pages_rendered_in_worker_processes_make_the_site_of_mkdocs_own_build(
    project, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(mkdocs_pages, "SMALLEST_CHUNK", 5_000)  # the sample's pages: 8 chunks
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = tmp_path / "forked"
    arguments = [str(project.mkdocs_file), str(project.content_dir), str(site), "--jobs", "2"]
    assert mkdocs_build(arguments) == 0
    assert "pages rendered, 0 kept" in capsys.readouterr().out
    clean = clean_build(project.mkdocs_file, project.content_dir, tmp_path / "clean", EPOCH)
    assert differences(site, clean) == []


def test_pages_go_to_the_workers_in_runs_of_about_the_same_markdown_size(monkeypatch):
    monkeypatch.setattr(mkdocs_pages, "SMALLEST_CHUNK", 100)
    sizes = {"a.md": 60, "b.md": 60, "long.md": 900, "c.md": 30, "d.md": 30, "e.md": 50}
    chunks = mkdocs_pages.in_chunks(sizes, jobs=2)  # 1,130 bytes: runs of about 142
    assert chunks == [["a.md", "b.md"], ["long.md"], ["c.md", "d.md", "e.md"]]
    assert [uri for chunk in chunks for uri in chunk] == list(sizes)


def test_the_nav_takes_unchanged_pages_titles_from_the_state_and_checks_them(project, tmp_path):
    """A nav page whose title its heading gives (no title in mkdocs.yml) and whose
    Markdown did not change is not rendered for its title: the state's is used, and the
    nav made with it must be the previous build's, or the nav's pages are read again
    (and the state mended)."""
    config = project.mkdocs_file
    config.write_text(
        config.read_text("utf-8").replace("  - À propos: a-propos.md", "  - a-propos.md")
    )
    assert "full build: mkdocs.yml changed" in rebuild(project)
    assert rebuild(project).startswith("site: 0 pages rendered, ")
    state = site_state_file(project)
    assert state is not None
    data = json.loads(state.read_text("utf-8"))
    heading = data["pages"]["a-propos.md"]["title"]
    assert heading and f"# {heading}" in (project.content_dir / "a-propos.md").read_text("utf-8")
    data["pages"]["a-propos.md"]["title"] = "Un autre titre"
    state.write_text(json.dumps(data), "utf-8")
    assert rebuild(project).startswith("site: 0 pages rendered, ")
    assert json.loads(state.read_text("utf-8"))["pages"]["a-propos.md"]["title"] == heading
    assert same_as_clean_build(project, tmp_path) == []


def test_changed_nav_pages_titled_in_mkdocs_yml_are_converted_with_the_other_pages(
    project, tmp_path, monkeypatch, capsys
):
    """Their nav title wins over their own, so the other pages' nav needs them read, not
    converted: the long section indexes go to the workers like any page."""
    from generator.site import incremental

    read_first: list[str] = []
    read_nav = incremental.read_nav

    def recorded(renderer, nav, state, digest):  # type: ignore[no-untyped-def]
        found = read_nav(renderer, nav, state, digest)
        read_first.extend(renderer.populated)
        return found

    monkeypatch.setattr(incremental, "read_nav", recorded)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    people = project.content_dir / "people" / "index.md"
    people.write_text(people.read_text("utf-8") + "\nUne ligne de plus.\n", "utf-8")
    site, state = tmp_path / "next", site_state_file(project)
    arguments = [str(project.mkdocs_file), str(project.content_dir), str(site)]
    arguments += ["--previous", str(project.site_dir), "--state", str(state)]
    assert mkdocs_build(arguments) == 0
    assert capsys.readouterr().out.startswith("site: 1 pages rendered, ")
    assert "people/index.md" not in read_first
    assert "Une ligne de plus." in (site / "people" / "index.html").read_text("utf-8")
    clean = clean_build(project.mkdocs_file, project.content_dir, tmp_path / "clean", EPOCH)
    assert differences(site, clean) == []
