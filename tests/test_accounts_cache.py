"""The accounts cache: the events of a build that takes each unchanged article's accounts
from the cache are those of a full run, after an added article or a correction that
changes what its mentions resolve to."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.pipeline import Run, Stage, run
from generator.settings import Settings

from .conftest import SEEDS, copy_project
from .test_incremental_pages import NEW_ARTICLE


def events_of(settings: Settings) -> tuple[str, Run]:
    state = run(settings, Stage.EVENTS)
    assert state.events
    return repr(state.events), state


def full_run(settings: Settings) -> str:
    """A run that reads no cache entry (it computes them all again)."""
    return events_of(Settings(root=settings.root, read_cache=False))[0]


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    settings = copy_project(tmp_path / "project", SEEDS)
    events_of(settings)
    return settings


def test_unchanged_articles_take_their_accounts_from_the_cache(project: Settings) -> None:
    assert project.cache_dir is not None
    shutil.rmtree(project.cache_dir / "parse")  # neither parsed nor read from the parses
    cached, state = events_of(project)
    assert state.stats.parsed == 0
    assert state.stats.parses_cached == len(state.articles)
    assert cached == full_run(project)


def test_an_added_article_gives_the_events_of_a_full_run(project: Settings) -> None:
    (project.articles_dir / "nouvelle.md").write_text(NEW_ARTICLE, encoding="utf-8")
    cached, state = events_of(project)
    assert state.stats.parsed == 1
    assert any(
        account.article.startswith("nouvelle") for e in state.events for account in e.accounts
    )
    assert cached == full_run(project)


def test_an_entity_correction_finds_the_accounts_again(project: Settings) -> None:
    corrections = project.articles_dir / "corrections.yml"
    text = corrections.read_text(encoding="utf-8")
    before, _ = events_of(project)
    corrections.write_text(text.replace("name: Hosaiba", "name: Husaybah"), encoding="utf-8")
    cached, _ = events_of(project)
    assert cached != before
    assert cached == full_run(project)
