"""The bad-input corpus through the real `dossier build`: every good article is built,
every bad one gives its line, nothing is written outside the output folders, a failed
build keeps the previous site, and removed articles lose their pages."""

from __future__ import annotations

import getpass
import html
import json
import socket

import pytest
from click.testing import CliRunner

from generator.cache.editors_report import REPORT
from generator.cli.main import main
from generator.ingest.read import printable, slug_for
from generator.site.search_index import site_documents

from ..conftest import build_project, copy_project
from .bad_inputs import CASES, FRENCH, write_corpus
from .test_build_safety import snapshot
from .test_hostile import ActiveMarkup

pytestmark = pytest.mark.slow

CORRECTIONS = """\
entities:
  - name: Abou Kamal
    type: place
    description: "<script>alert('desc')</script> **gras** [clic](javascript:alert(1)) {{ 7*7 }}"
  - name: ../../etc/passwd
    type: organisation
    aliases: ["%2e%2e/%2e%2e/boot"]
  - name: "Brigade 🔥"
    type: organisation
  - name: داعش
    type: organisation
  - name: Personne Inconnue
    type: person
  - name: "<img src=x onerror=alert('carte')>"
    type: place
    coordinates: [36.2, 37.1]
"""
NAMES = (
    "Titre des noms\n"
    "Les combattants de ../../etc/passwd et de la Brigade 🔥 ont quitté Abou Kamal. "
    "Selon داعش, %2e%2e/%2e%2e/boot aurait suivi vers <img src=x onerror=alert('carte')>.\n"
)


def run_build(root, *arguments):
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        return CliRunner().invoke(main, ["build", *arguments], catch_exceptions=False)


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory):
    settings = copy_project(tmp_path_factory.mktemp("corpus-build") / "project")
    write_corpus(settings.articles_dir)
    (settings.articles_dir / "noms.txt").write_text(NAMES, encoding="utf-8")
    (settings.articles_dir / "corrections.yml").write_text(CORRECTIONS, encoding="utf-8")
    before = snapshot(settings.root.parent)
    result = run_build(settings.root)
    after = snapshot(settings.root.parent)
    return settings, result, before, after


def test_the_build_succeeds_and_keeps_every_good_article(corpus_build):
    settings, result, _, _ = corpus_build
    assert result.exit_code == 0, result.output
    sources = {p.parent.name for p in (settings.site_dir / "sources").glob("*/index.html")}
    folder = settings.articles_dir
    for case in CASES:
        if case.expect == "kept":
            assert slug_for(folder / case.name, folder) in sources, case.name
    assert "duplicate-a" in sources and "duplicate-b" not in sources
    assert not {"empty", "binary", "pdf-renamed", "huge", "one-long-line"} & sources


def test_each_bad_article_gives_one_line_naming_file_problem_and_action(corpus_build):
    settings, result, _, _ = corpus_build
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    flagged = [c for c in CASES if c.message is not None]
    assert len(warnings) == len(flagged)
    for case in flagged:
        [line] = [w for w in warnings if f"/{printable(case.name)}: " in w]
        assert line.startswith(f"warning: {printable(str(settings.articles_dir / case.name))}: ")
        assert case.message in line
        assert line.endswith(("(skipped)", "(article kept)", "(recorded as one source)"))


def test_curated_entities_named_in_no_article_are_noted(corpus_build):
    _, result, _, _ = corpus_build
    assert "corrections.yml:12: 'Personne Inconnue' is named in no article (no page)" in (
        result.output
    )


def test_problems_go_to_the_editors_report_not_to_the_site(corpus_build):
    settings, result, _, _ = corpus_build
    report = (settings.cache_dir / REPORT).read_text(encoding="utf-8")
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert warnings and report.splitlines()[: len(warnings)] == warnings
    home = (settings.site_dir / "index.html").read_text(encoding="utf-8")
    assert "Fichiers écartés" not in home
    for name in ("pdf-renamed.txt", "huge.txt", "link-out.txt", "fifo.txt"):
        assert name in report and name not in home


def published_files(settings):
    return {
        path: path.read_bytes().decode("utf-8", "replace")
        for path in settings.site_dir.rglob("*")
        if path.is_file() and path.suffix != ".gz"
    }


def test_no_published_file_names_the_editors_machine(corpus_build):
    settings, _, _, _ = corpus_build
    user, host = getpass.getuser(), socket.gethostname()
    secrets = [str(settings.root.parent), f"/{user}/", f"/home/{user}"]
    secrets += [host] if len(host) >= 6 else []
    for path, text in published_files(settings).items():
        for secret in secrets:
            assert secret not in text, (path, secret)


def test_only_http_urls_reach_the_pages_and_exports(corpus_build):
    settings, _, _, _ = corpus_build
    data = json.loads((settings.site_dir / "exports" / "dossier.json").read_text("utf-8"))
    urls = {a["files"][0]: a["source_url"] for a in data["articles"]}
    assert urls["good-url.md"] == "https://exemple.org/a?b=1#c"
    for name in ("javascript-url.md", "data-url.md", "vbscript-url.html", "hostless-url.md"):
        assert urls[name] is None, name
    ftm = (settings.site_dir / "exports" / "dossier.ftm.json").read_text("utf-8").splitlines()
    sources = [u for line in ftm for u in json.loads(line)["properties"].get("sourceUrl", [])]
    assert sources and all(u.startswith(("https://", "http://")) for u in sources), sources
    for path, text in published_files(settings).items():
        assert "VBScript:msgbox" not in text, path  # only written in the dropped og:url


def test_search_titles_and_texts_hold_names_as_escaped_text(corpus_build):
    settings, _, _, _ = corpus_build
    documents = site_documents(settings.site_dir)  # Material shows them as HTML
    shown = [d["title"] + " " + d["text"] for d in documents]
    assert any("&lt;img src=x onerror=alert" in text for text in shown)
    for text in shown:
        assert "<img" not in text and "<script" not in text and "<svg" not in text, text[:200]


def test_every_page_has_a_content_security_policy(corpus_build):
    settings, _, _, _ = corpus_build
    pages = list(settings.site_dir.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        head = path.read_text(encoding="utf-8").split("<title>")[0]
        assert '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; ' in head
        assert "object-src 'none'; base-uri 'self'" in head, path
        assert "<script" not in head.split("Content-Security-Policy")[0], path


def test_nothing_is_written_outside_the_output_folders(corpus_build):
    settings, _, before, after = corpus_build
    outputs = ("project/content/", "project/site/", "project/.dossier-cache/")
    changed = {
        path
        for path in set(before) | set(after)
        if before.get(path) != after.get(path) and not path.startswith(outputs)
    }
    assert changed == set()
    assert not list(settings.root.glob(".site*"))  # no staging folder left behind
    assert after["project/content/a-propos.md"] == before["project/content/a-propos.md"]


def test_no_markup_from_articles_or_corrections_is_live(corpus_build):
    settings, _, _, _ = corpus_build
    for path in settings.site_dir.rglob("*.html"):
        parser = ActiveMarkup()
        parser.feed(path.read_text(encoding="utf-8"))
        assert parser.found == [], path
    page = (settings.site_dir / "places" / "abou-kamal" / "index.html").read_text(encoding="utf-8")
    shown = html.unescape(page)  # what the browser displays
    assert "<script>alert('desc')</script> **gras** [clic](javascript:alert(1))" in shown
    assert "<strong>gras</strong>" not in page


def test_hostile_entity_names_get_pages_inside_the_site(corpus_build):
    settings, _, _, _ = corpus_build
    site = settings.site_dir
    pages = {str(p.relative_to(site)) for p in site.rglob("index.html")}
    assert "organisations/etc-passwd/index.html" in pages
    assert "organisations/brigade/index.html" in pages
    arabic = [p for p in pages if p.startswith("organisations/") and "d-sh" in p]
    assert arabic, sorted(pages)


def test_removed_articles_lose_their_pages_and_a_failed_build_keeps_the_site(tmp_path):
    settings = copy_project(
        tmp_path / "project",
        {"a.txt": f"Premier\n{FRENCH}\n", "b.txt": "Second\nLe président Macron à Bagdad.\n"},
    )
    hand_written = (settings.content_dir / "a-propos.md").read_bytes()
    build_project(settings)
    assert (settings.site_dir / "sources" / "b" / "index.html").exists()
    (settings.articles_dir / "b.txt").unlink()
    build_project(settings)
    assert not (settings.content_dir / "sources" / "b.md").exists()
    assert not (settings.site_dir / "sources" / "b").exists()
    assert (settings.site_dir / "sources" / "a" / "index.html").exists()
    assert (settings.content_dir / "a-propos.md").read_bytes() == hand_written

    site_before = snapshot(settings.site_dir)
    config = settings.mkdocs_file.read_text(encoding="utf-8")
    settings.mkdocs_file.write_text(  # strict MkDocs fails on a nav entry to no page
        config.replace("  - À propos: a-propos.md", "  - Absent: absent.md"), encoding="utf-8"
    )
    result = run_build(settings.root)
    assert result.exit_code == 1
    assert "error: MkDocs build failed, previous site kept" in result.output
    assert snapshot(settings.site_dir) == site_before
    assert sorted(p.name for p in settings.root.iterdir()) == sorted(
        [".dossier-cache", "content", "mkdocs.yml", "seeds", "site", "site_templates"]
    )
