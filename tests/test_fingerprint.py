"""A build with nothing changed skips generating the pages and says so; any change to
what the pages depend on, or to a generated page, and the pages are generated again.
Nor does MkDocs run when the site is still what the last build made from the same inputs
and content folder (`up to date`); a change to either, and it builds again."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from generator.cache.fingerprint import load_record
from generator.cli.main import main

from .conftest import SEEDS, copy_project
from .hostile.test_build_safety import snapshot

pytestmark = pytest.mark.slow

REPLAYED = "nothing changed since the last build: pages kept as they were"
UP_TO_DATE = "0 pages rendered, {pages} kept (up to date: nothing changed)"
THIRD = "Un troisième article\nLe ministre Hassan Khoury s'est rendu à Mossoul.\n"


def build(settings, *arguments):
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(settings.root)
        result = CliRunner().invoke(main, ["build", *arguments], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    settings = copy_project(tmp_path_factory.mktemp("fingerprint"), SEEDS)
    first = build(settings)
    assert REPLAYED not in first
    return settings


def html_pages(settings) -> int:
    return sum(1 for page in settings.site_dir.rglob("index.html"))


def test_an_unchanged_rebuild_replays_the_report_and_keeps_the_site(project):
    build(project)  # whatever the tests before left
    content, site = snapshot(project.content_dir), snapshot(project.site_dir)
    inodes = {p: p.stat().st_ino for p in project.site_dir.rglob("*")}
    output = build(project)
    assert REPLAYED in output
    assert "2 articles, 30 entities" in output
    assert "0 article(s) through the model, 2 from the cache" in output
    assert "0 article(s) through the parser, 2 from the cache" in output
    assert UP_TO_DATE.format(pages=html_pages(project)) in output
    assert snapshot(project.content_dir) == content
    assert snapshot(project.site_dir) == site
    assert {p: p.stat().st_ino for p in project.site_dir.rglob("*")} == inodes  # not rebuilt


def test_the_record_keeps_the_hash_of_each_input_file(project):
    build(project)
    record = load_record(project)
    assert record is not None
    articles = sorted(str(path) for path in project.articles_dir.iterdir())
    assert articles and all(path in record.hashes for path in articles)


def rebuilt(settings) -> str:
    """The output of a build that replayed the pages but built the site again."""
    output = build(settings)
    assert REPLAYED in output and "(up to date" not in output
    return output


def test_a_removed_site_file_is_built_again(project):
    build(project)
    (project.site_dir / "people" / "index.html").unlink()
    rebuilt(project)
    assert (project.site_dir / "people" / "index.html").is_file()
    assert "(up to date" in build(project)


def test_an_edited_hand_written_page_is_built_again(project):
    build(project)
    page = project.content_dir / "a-propos.md"
    page.write_text(page.read_text() + "\nUne ligne ajoutée.\n")
    rebuilt(project)
    assert "Une ligne ajoutée." in (project.site_dir / "a-propos" / "index.html").read_text()


def test_a_new_static_file_is_copied(project):
    build(project)
    (project.content_dir / "assets" / "extra.txt").write_text("en plus")
    rebuilt(project)
    assert (project.site_dir / "assets" / "extra.txt").read_text() == "en plus"


def test_without_the_cache_mkdocs_always_builds(project):
    build(project)
    assert "(up to date" not in build(project, "--no-cache")


def test_a_hand_edited_generated_page_is_generated_again(project):
    page = project.content_dir / "people" / "ali-maqsood.md"
    generated = page.read_bytes()
    page.write_text("edited by hand", encoding="utf-8")
    output = build(project)
    assert REPLAYED not in output
    assert "edited by hand since it was generated: rewritten" in output
    assert page.read_bytes() == generated
    assert REPLAYED in build(project)


def test_a_removed_manifest_is_noticed_rather_than_replayed(project):
    assert REPLAYED in build(project)
    manifest = project.content_dir / ".dossier-manifest.json"
    kept = manifest.read_bytes()
    manifest.unlink()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project.root)
        result = CliRunner().invoke(main, ["build"], catch_exceptions=False)
    assert result.exit_code == 1  # without it, generated pages look hand-written
    assert "a hand-written page is in the way" in result.output
    manifest.write_bytes(kept)
    assert REPLAYED not in build(project)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s: (s.articles_dir / "003.txt").write_text(THIRD), id="new article"),
        pytest.param(
            lambda s: (s.articles_dir / "corrections.yml").write_text(
                (s.articles_dir / "corrections.yml").read_text() + "\n# a comment\n"
            ),
            id="corrections",
        ),
        pytest.param(
            lambda s: (s.templates_dir / "entity.md.j2").write_text(
                (s.templates_dir / "entity.md.j2").read_text() + "\n"
            ),
            id="template",
        ),
    ],
)
def test_a_changed_input_generates_the_pages_again(project, change):
    assert REPLAYED in build(project)
    change(project)
    output = build(project)
    assert REPLAYED not in output
    assert REPLAYED in build(project)


def test_a_changed_setting_generates_the_pages_again(project):
    assert REPLAYED in build(project)
    assert REPLAYED not in build(project, "--search-text", "lead")
    assert REPLAYED in build(project, "--search-text", "lead")


def test_without_the_cache_the_pages_are_always_generated(project):
    output = build(project, "--no-cache")
    assert REPLAYED not in output
    assert REPLAYED not in build(project, "--no-cache")


def test_a_failed_build_leaves_no_record_of_a_finished_one(project):
    build(project)
    assert REPLAYED in build(project)
    broken = project.articles_dir / "corrections.yml"
    kept = broken.read_text()
    broken.write_text("people: [unclosed\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project.root)
        result = CliRunner().invoke(main, ["build"], catch_exceptions=False)
    assert result.exit_code == 1
    assert not (project.root / ".dossier-cache" / "last-build.json").exists()
    broken.write_text(kept, encoding="utf-8")
    assert REPLAYED not in build(project)
