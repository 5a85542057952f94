"""Extraction on a Dask cluster (`--workers N`, `--scheduler ADDRESS`): the same mentions,
to the byte, as the local run; one pipeline load per worker; clear errors, never a hang
or a traceback, when the cluster cannot be used."""

from __future__ import annotations

import socket
import sys
from dataclasses import replace
from pathlib import Path

import dask.config
import pytest
from click.testing import CliRunner
from distributed import LocalCluster

from generator.cache.fingerprint import inputs_digest
from generator.cache.store import extraction_version
from generator.cli.main import main
from generator.nlp.cluster import ClusterExtraction, extract_batch, pipelines_loaded
from generator.nlp.executors import LocalExtraction, Recipe
from generator.nlp.languages import Setup
from generator.resolve.gazetteer import load_gazetteer
from generator.settings import Settings
from tests.factories import article

from .conftest import SEEDS

ENGLISH = (
    "---\ntitle: Talks in Aleppo\nlanguage: en\n---\n"
    "Minister Mahmoud Abdelkarim met General Farid Benslimane in Aleppo on Tuesday.\n"
)
FRENCH = (
    "Démenti du ministre\n\n"
    "Le ministre Mahmud Abdelkarim a démenti ces informations, affirmant que les forces "
    "irakiennes ne participeraient pas à l'offensive près de Raqqa.\n"
)


@pytest.fixture
def articles(tmp_path) -> Path:
    """The sample articles, one more French and one English: two pipelines, and more
    batches than workers."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in SEEDS.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "002_dementi.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "003_talks.md").write_text(ENGLISH, encoding="utf-8")
    return folder


def extract(articles: Path, run: Path, *options: str) -> tuple[bytes, dict[str, bytes]]:
    """`dossier extract` with its own cache folder: the review file, and the cache entries
    by path."""
    review, cache = run / "extraction.yml", run / "cache"
    command = ["extract", "--articles", str(articles), "--output", str(review)]
    result = CliRunner().invoke(main, [*command, "--cache", str(cache), *options])
    assert result.exit_code == 0, result.output
    entries = {
        path.relative_to(cache).as_posix(): path.read_bytes()
        for path in sorted((cache / "extract").rglob("*.json"))
    }
    return review.read_bytes(), entries


@pytest.mark.slow
def test_a_two_worker_local_cluster_extracts_the_bytes_of_the_local_run(articles, tmp_path):
    local = extract(articles, tmp_path / "local")
    cluster = extract(articles, tmp_path / "cluster", "--workers", "2")
    assert len(local[1]) == 4  # an entry per article: three French, one English
    assert cluster == local


@pytest.mark.slow
def test_each_worker_loads_a_pipeline_once_and_the_batches_come_back_in_order():
    """Two languages without their model (the rules-only pipelines: quick to load), twice
    over: each worker loaded each pipeline at most once, and the mentions are those of
    the local executor."""
    chosen = [
        article(f"Le convoi est arrivé à Mossoul puis à Alep, jour {n}.", slug=f"a{n}")
        for n in range(6)
    ]
    recipes = [rules_recipe(language) for language in ("fr", "en")]
    local = LocalExtraction(load_gazetteer(), jobs=1)
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        executor = ClusterExtraction(cluster.scheduler_address, 0)  # as `--scheduler`
        try:
            for _ in range(2):
                for recipe in recipes:
                    mentions = executor(chosen, recipe)
                    assert mentions == local(chosen, recipe)
                    assert {m.text for m in mentions} >= {"Mossoul", "Alep"}
            loads = executor.client().run(pipelines_loaded)
        finally:
            executor.close()
    assert len(loads) == 2 and any(loads.values()), loads
    assert all(set(counts.values()) <= {1} for counts in loads.values()), loads


def rules_recipe(language: str) -> Recipe:
    setup = Setup(language, "no_such_model", installed=False)
    return Recipe(setup, (), extraction_version(setup.key, []))


def test_a_worker_with_another_extraction_version_refuses_the_work():
    recipe = rules_recipe("fr")
    other = Recipe(recipe.setup, recipe.ruler_entries, "another version")
    with pytest.raises(RuntimeError, match="differ from the build's"):
        extract_batch([article("Texte.")], other)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def extract_failing(articles: Path, folder: Path, *options: str) -> str:
    """`dossier extract` that must fail: what it says."""
    command = ["extract", "--articles", str(articles), "--output", str(folder / "x.yml")]
    result = CliRunner().invoke(main, [*command, "--cache", str(folder / "cache"), *options])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output


def test_an_unreachable_scheduler_is_an_error_naming_its_address(articles, tmp_path):
    address = f"tcp://127.0.0.1:{closed_port()}"
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        output = extract_failing(articles, tmp_path, "--scheduler", address)
    assert f"error: cannot reach the Dask scheduler at {address}" in output


def test_a_scheduler_without_workers_is_an_error_not_a_hang(articles, tmp_path):
    with (
        LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster,
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
    ):
        output = extract_failing(articles, tmp_path, "--scheduler", cluster.scheduler_address)
    assert f"the Dask scheduler at {cluster.scheduler_address} has no worker" in output


def test_without_dask_the_cluster_options_name_the_extra(articles, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    output = extract_failing(articles, tmp_path, "--workers", "2")
    assert "pip install 'dossier[cluster]'" in output


def test_scheduler_and_workers_together_are_refused(articles, tmp_path):
    options = ("--workers", "2", "--scheduler", "tcp://127.0.0.1:8786")
    output = extract_failing(articles, tmp_path, *options)
    assert "--scheduler and --workers exclude each other" in output


def test_where_extraction_runs_is_no_change_of_the_build(articles):
    """A build on the cluster after a local one (or the reverse) replays it."""
    settings = Settings(root=articles.parent, articles=articles)
    elsewhere = replace(settings, scheduler="tcp://127.0.0.1:8786", workers=2, jobs=1)
    assert inputs_digest(elsewhere) == inputs_digest(settings)
    assert inputs_digest(replace(settings, model="fr_core_news_sm")) != inputs_digest(settings)
