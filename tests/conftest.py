"""Shared fixtures: the spaCy pipeline, a built copy of the sample dossier and a built
100-article dossier of the benchmark's corpus.

`make_project` copies the project's mkdocs.yml, templates and hand-written content into
a temporary folder, so that tests build real sites without touching the working tree.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

from benchmarks.corpus import write_corpus
from generator.nlp.pipeline import DEFAULT_MODEL, keep_models, load_pipeline
from generator.records import Dossier
from generator.settings import Settings
from generator.site.build import build_site, reproducible_epoch
from generator.site.write import copy_hand_written_content
from tests.pipeline_runs import generate

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS_ARTICLES = 100  # issue 19's size of a dossier to read


@pytest.fixture(scope="session", autouse=True)
def models_kept_between_builds():
    """Each test project is a build: the models are loaded once per process, as `dossier
    serve` keeps them."""
    keep_models()
    yield
    keep_models(False)


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline(DEFAULT_MODEL, parse=True)  # events need the parser


def copy_project(target: Path, articles: dict[str, str] | Path | None = None) -> Settings:
    """A project folder with the real config and templates and the given articles."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "site_templates", target / "site_templates")
    (target / "content").mkdir()
    copy_hand_written_content(ROOT / "content", target / "content")
    folder = target / "seeds"
    if isinstance(articles, Path):
        shutil.copytree(articles, folder)
    else:
        folder.mkdir()
        for name, text in (articles or {}).items():
            (folder / name).write_text(text, encoding="utf-8")
    return Settings(root=target)


def build_project(settings: Settings) -> Dossier:
    dossier, _ = generate(settings)
    build_site(settings, reproducible_epoch(dossier.articles))
    return dossier


@pytest.fixture(scope="session")
def make_project(tmp_path_factory) -> Callable[..., Settings]:
    def make(articles: dict[str, str] | Path | None = None) -> Settings:
        return copy_project(tmp_path_factory.mktemp("project"), articles)

    return make


@pytest.fixture(scope="session")
def seeds_site(make_project) -> tuple[Settings, Dossier]:
    """The sample dossier, generated and built once for the whole session."""
    settings = make_project(SEEDS)
    return settings, build_project(settings)


def build_offline(seeds_site: tuple[Settings, Dossier], folder: str) -> Settings:
    """The sample dossier's pages built again by MkDocs, offline, into `folder`."""
    settings, dossier = seeds_site
    offline = dataclasses.replace(settings, offline=True, site=settings.root / folder)
    build_site(offline, reproducible_epoch(dossier.articles))
    return offline


@pytest.fixture(scope="session")
def offline_site(seeds_site) -> Path:
    """The sample dossier built offline (`dossier build --offline`), once per session."""
    return build_offline(seeds_site, "site-offline").site_dir


def session_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test session that every pytest-xdist worker sees: above the
    worker's own (`popen-gw0/`), or the session's own when there are no workers (its
    parent would be shared with earlier sessions)."""
    folder = tmp_path_factory.getbasetemp()
    return folder.parent if os.environ.get("PYTEST_XDIST_WORKER") else folder


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory) -> tuple[Settings, Dossier]:
    """100 articles of the benchmark's corpus (seed 1), generated and built once for the
    whole session: the first worker to ask builds it under a lock, the others wait for it
    and read the model it left next to the site."""
    folder = session_folder(tmp_path_factory) / f"corpus-{CORPUS_ARTICLES}"
    model = folder / "dossier.pickle"
    with FileLock(f"{folder}.lock"):
        if not model.is_file():
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed half-way
            settings = copy_project(folder)
            write_corpus(settings.articles_dir, CORPUS_ARTICLES)
            built = (settings, build_project(settings))
            model.write_bytes(pickle.dumps(built))
        return pickle.loads(model.read_bytes())
