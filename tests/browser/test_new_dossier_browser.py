"""A dossier made with `dossier new`, two sample articles copied in and `dossier build
--strict` run in its folder with no options, works in Chromium: its map and network draw
with the Leaflet and Cytoscape the site itself serves, and its search finds a name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main

from .conftest import drawn_places, search

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))[:2]


@pytest.fixture(scope="module")
def new_dossier_url(tmp_path_factory, serve_site) -> str:
    folder = tmp_path_factory.mktemp("new") / "dossier"
    runner = CliRunner()
    made = runner.invoke(main, ["new", str(folder), "--title", "Test"])
    assert made.exit_code == 0, made.output
    for article in SEEDS:
        shutil.copy(article, folder / "articles" / article.name)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        built = runner.invoke(main, ["build", "--strict"])
    assert built.exit_code == 0, built.output
    return serve_site(folder / "site")


def data_script(page, name: str) -> dict:  # type: ignore[no-untyped-def]
    return page.evaluate(f"window.{name}")


def served_by_the_site(page, url: str, *files: str) -> None:  # type: ignore[no-untyped-def]
    for name in files:
        assert url + name in page.dossier.requests, name
    assert all(r.startswith(url) or r.startswith("data:") for r in page.dossier.requests)
    assert page.dossier.errors == []


def test_the_new_dossier_s_map_draws_a_marker_per_located_place(open_page, new_dossier_url):
    page = open_page()
    page.goto(new_dossier_url + "map/")
    page.wait_for_selector("#dossier-map[data-ready=true]")
    places = data_script(page, "dossierMap")["places"]
    assert places
    assert drawn_places(page) == len(places)
    assert page.locator("#dossier-map path.dossier-country").count() > 100
    served_by_the_site(page, new_dossier_url, "assets/vendor/leaflet/leaflet.js")


def test_the_new_dossier_s_network_draws_every_node(open_page, new_dossier_url):
    page = open_page()
    page.goto(new_dossier_url + "network/")
    page.wait_for_selector("#dossier-network[data-ready=true]")
    data = data_script(page, "dossierNetwork")
    assert data["nodes"]
    assert page.evaluate("window.dossierCy.nodes().length") == len(data["nodes"])
    assert page.evaluate("window.dossierCy.edges().length") == len(data["edges"])
    served_by_the_site(page, new_dossier_url, "assets/vendor/cytoscape/cytoscape.min.js")


def test_the_new_dossier_s_search_finds_a_name(open_page, new_dossier_url):
    page = open_page()
    page.goto(new_dossier_url)
    results = search(page, "abadi")
    assert results and results[0].startswith("people/") and "abadi" in results[0], results
    served_by_the_site(page, new_dossier_url, "search/worker.js", "search/lunr_index.json")
    assert json.loads(page.evaluate("JSON.stringify(window.__dossierSearch)"))["answered"] >= 1
