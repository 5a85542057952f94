"""The offline site and its zip: links to index.html, the search's script twins, a zip
that the same site always gives byte for byte, and a published build left as it was."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main
from generator.site.archive import write_zip, zip_bytes
from generator.site.folders import SITE_MARKER
from generator.site.offline import (
    FRAME_PAGE,
    MATERIAL_INDEX_SCRIPT,
    PAGE_WORKER,
    offline_data_script,
    offline_entries,
    offline_links,
    script_twins,
)
from generator.site.preview_twins import page_lede, preview_twin
from generator.site.theme import PREVIEW_SCRIPT, is_previewed
from generator.site.urls import offline_url
from generator.site.urls import preview_twin as twin_path
from generator.site.visual import js_assignment

from .conftest import build_offline


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("people/x/", "people/x/index.html"),
        ("sources/a/#p2", "sources/a/index.html#p2"),
        ("../?h=abadi", "../index.html?h=abadi"),
        ("..", "../index.html"),
        ("../..", "../../index.html"),
        (".", "./index.html"),
        ("../assets/dossier/dossier.css", "../assets/dossier/dossier.css"),
        ("#texte", "#texte"),
        ("https://example.org/a/", "https://example.org/a/"),
        ("mailto:a@example.org", "mailto:a@example.org"),
    ],
)
def test_a_folder_s_url_names_its_index_html_and_others_are_left(url, expected):
    assert offline_url(url) == expected


def test_search_locations_name_index_html_the_home_s_too():
    docs = [{"location": loc} for loc in ["", "#les-plus-citees", "people/x/", "a/#p2"]]
    entries = offline_entries({"config": {}, "docs": docs})
    assert [doc["location"] for doc in entries["docs"]] == [
        "index.html",
        "index.html#les-plus-citees",
        "people/x/index.html",
        "a/index.html#p2",
    ]


def test_links_in_tags_change_and_text_that_looks_like_one_does_not():
    html = (
        '<a href="../people/x/" class="md-nav__link">x</a>'
        '<link rel="stylesheet" href="../assets/main.css">'
        '<p>il a écrit href="a/" dans son texte</p>'
        '<a href="https://example.org/">ailleurs</a>'
    )
    assert offline_links(html) == (
        '<a href="../people/x/index.html" class="md-nav__link">x</a>'
        '<link rel="stylesheet" href="../assets/main.css">'
        '<p>il a écrit href="a/" dans son texte</p>'
        '<a href="https://example.org/">ailleurs</a>'
    )


def test_the_map_data_script_gets_index_html_urls_and_nothing_else_changes():
    data = {"places": [{"name": "Alep", "url": "places/alep/", "lat": 36.2}], "tiles": None}
    script = offline_data_script(js_assignment("dossierMap", data))
    name, _, text = script.partition(" = ")
    assert name == "window.dossierMap"
    assert json.loads(text.removesuffix(";\n")) == {
        "places": [{"name": "Alep", "url": "places/alep/index.html", "lat": 36.2}],
        "tiles": None,
    }


def test_each_search_file_gets_a_script_twin_naming_what_the_worker_fetches():
    files = {
        Path("search/search_index.json"): '{"config":{},"docs":[]}',
        Path("search/lunr_index.json"): '{"format":"x"}',
        Path("search/text/0.abc.json"): '["un"]',
    }
    assert script_twins(files) == {
        MATERIAL_INDEX_SCRIPT: 'var __index = {"config":{},"docs":[]}\n',
        Path("search/lunr_index.js"): 'dossierSearchFile("lunr_index.json", {"format":"x"});\n',
        Path("search/text/0.abc.js"): 'dossierSearchFile("text/0.abc.json", ["un"]);\n',
    }


PAGE = """<html><body><nav><h1>Menu</h1></nav>
<article class="md-content__inner">
<h1 id="x">Alep<a class="headerlink" href="#x">&para;</a></h1>
<div class="dossier-card"><p>Ville de Syrie, «&lt;b&gt;»</p>
<h2>Dans la carte</h2><br><img src="a.png"></div>
<p>Suite</p>
<h2 id="y">Dans les articles</h2><p>Long texte</p>
</article></body></html>"""


def test_a_page_s_lede_is_its_article_title_and_what_follows_up_to_the_next_heading_beside_it():
    lede = page_lede(PAGE)
    assert lede is not None
    assert lede.startswith('<h1 id="x">Alep')  # the article's, not the menu's
    assert "<h2>Dans la carte</h2>" in lede  # a heading inside the card is the card's
    assert lede.endswith("<p>Suite</p>")  # up to the heading beside the title
    assert "Dans les articles" not in lede and "&lt;b&gt;" in lede  # kept as the page has it


def test_a_lede_without_a_heading_after_it_ends_with_its_parent():
    lede = page_lede("<article>\n<h1>Alep</h1>\n<p>Ville</p>\n</article><footer>f</footer>")
    assert lede == "<h1>Alep</h1>\n<p>Ville</p>"
    assert page_lede("<article><p>sans titre</p></article>") is None


def test_a_preview_twin_names_its_page_s_file_and_holds_its_lede_as_a_string():
    twin = preview_twin("places/alep/", PAGE)
    assert twin is not None and twin.startswith('dossierPreviewPage("places/alep/index.html", "')
    arguments = twin.removeprefix("dossierPreviewPage(").removesuffix(");\n")
    fragment = arguments.partition(", ")[2]
    assert json.loads(fragment) == f"<article>{page_lede(PAGE)}</article>"
    assert "</script>" not in twin and "\n" not in twin.removesuffix("\n")
    assert (
        twin_path("places/alep/") == twin_path("places/alep/index.html") == "places/alep/preview.js"
    )


def test_the_zip_is_the_same_bytes_whatever_the_files_dates_and_order(tmp_path):
    site = tmp_path / "site"
    (site / "b").mkdir(parents=True)
    (site / "b" / "index.html").write_text("<h1>b</h1>", encoding="utf-8")
    (site / "index.html").write_text("<h1>a</h1>", encoding="utf-8")
    (site / SITE_MARKER).write_text("marker", encoding="utf-8")
    first = zip_bytes(site, "dossier")
    (site / "index.html").touch()
    (site / "b" / "index.html").chmod(0o600)
    assert zip_bytes(site, "dossier") == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == ["dossier/b/index.html", "dossier/index.html"]
        assert archive.read("dossier/b/index.html") == b"<h1>b</h1>"
    (site / "index.html").write_text("<h1>changed</h1>", encoding="utf-8")
    assert zip_bytes(site, "dossier") != first


def test_zip_refuses_to_write_inside_the_site_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["zip", "--output", "site/dossier.zip"])
    assert result.exit_code == 1
    assert "inside the site folder" in result.output
    assert not (tmp_path / "site").exists()


@pytest.mark.slow
def test_the_zip_holds_the_offline_site_and_two_builds_give_the_same_bytes(
    seeds_site, offline_site, tmp_path
):
    again = build_offline(seeds_site, "site-offline-again").site_dir
    first, second = tmp_path / "1" / "dossier.zip", tmp_path / "2" / "dossier.zip"
    count = write_zip(offline_site, first)
    write_zip(again, second)
    assert first.read_bytes() == second.read_bytes()
    files = sorted(
        p.relative_to(offline_site).as_posix()
        for p in offline_site.rglob("*")
        if p.is_file() and p.name != SITE_MARKER
    )
    with zipfile.ZipFile(first) as archive:
        assert archive.namelist() == [f"dossier/{name}" for name in files]
        assert len(files) == count
        for name in ("index.html", PAGE_WORKER.as_posix(), FRAME_PAGE.as_posix()):
            assert archive.read(f"dossier/{name}") == (offline_site / name).read_bytes()


def scripts_named(name: str, site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob(name)}


@pytest.mark.slow
def test_the_published_build_has_none_of_the_offline_site(seeds_site, offline_site):
    settings, _ = seeds_site
    site = settings.site_dir
    for artefact in (PAGE_WORKER, FRAME_PAGE, MATERIAL_INDEX_SCRIPT, Path("search/frame.js")):
        assert not (site / artefact).exists(), artefact
        assert (offline_site / artefact).is_file(), artefact
    assert sorted(p.name for p in (site / "search").glob("*.js")) == ["lunr.js", "worker.js"]
    assert scripts_named("preview.js", site) == {PREVIEW_SCRIPT}  # hover previews' own
    pages = [f"{p.parent.relative_to(site).as_posix()}/" for p in site.rglob("index.html")]
    twins = {twin_path(url) for url in pages if is_previewed(url)}
    assert len(twins) > 20 and scripts_named("preview.js", offline_site) == twins | {PREVIEW_SCRIPT}
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "file-worker.js" not in home and 'href="people/index.html"' not in home
    assert 'href="people/"' in home
    assert 'href="people/index.html"' in (offline_site / "index.html").read_text("utf-8")
    map_data = (site / "assets/dossier/map-data.js").read_text(encoding="utf-8")
    assert "/index.html" not in map_data
