"""The equality guarantee (issue 21): after any sequence of articles added, edited and
removed, each followed by `dossier build`, the site is byte for byte the one MkDocs' own
clean build makes of the same content. Hypothesis draws the sequences over a small
synthetic corpus (benchmarks/corpus.py); one project carries on from example to
example, so each sequence also starts from whatever the previous ones left."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import article
from generator.pipeline import Stage, run
from generator.records import BuildReport
from generator.settings import Settings

from .conftest import copy_project
from .site_trees import clean_build, differences

pytestmark = pytest.mark.slow

POOL = range(6)  # the corpus' articles that sequences add, edit and remove
FIRST = range(3)  # those of the first build
_edits = itertools.count()

operations = st.lists(
    st.tuples(st.sampled_from(["add", "edit", "remove"]), st.sampled_from(list(POOL))),
    min_size=1,
    max_size=3,
)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Settings:
    settings = copy_project(tmp_path_factory.mktemp("incremental"))
    for index in FIRST:
        write_article(settings, index)
    dossier_build(settings)
    return settings


def article_path(settings: Settings, index: int) -> Path:
    return settings.articles_dir / article(1, index)[0]


def write_article(settings: Settings, index: int) -> None:
    article_path(settings, index).write_text(article(1, index)[1], encoding="utf-8")


def apply(settings: Settings, kind: str, index: int) -> None:
    path = article_path(settings, index)
    present = sorted(settings.articles_dir.glob("*.md"))
    if kind == "remove" and path.exists() and len(present) > 1:
        path.unlink()
    elif kind == "edit" and path.exists():
        added = f"\n\nLe ministère a confirmé l'information, mise à jour n° {next(_edits)}.\n"
        path.write_text(path.read_text("utf-8") + added, encoding="utf-8")
    else:
        write_article(settings, index)


def dossier_build(settings: Settings) -> BuildReport:
    """What `dossier build` runs."""
    state = run(settings, Stage.SITE)
    assert state.report is not None
    return state.report


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=operations)
def test_the_incremental_site_is_the_site_of_a_clean_build(project, sequence):
    epoch = None
    for kind, index in sequence:
        apply(project, kind, index)
        report = dossier_build(project)
        assert "full build" not in report.site  # the pages of the other articles kept
        epoch = report.epoch
    with tempfile.TemporaryDirectory() as folder:
        clean = clean_build(project.mkdocs_file, project.content_dir, Path(folder), epoch)
        assert differences(project.site_dir, clean) == []
