"""Parallel pages: a large dossier's pages are rendered over `jobs` forked processes, and
they are the pages one process renders, byte for byte, kept ones included."""

from __future__ import annotations

import dataclasses
import os
import time
from functools import partial
from pathlib import Path

import pytest

from generator.errors import BuildError
from generator.pipeline import Stage, run
from generator.records import Dossier
from generator.settings import Settings
from generator.site import pages as site_pages
from generator.site.pages import dossier_pages
from generator.site.processes import in_forked_processes
from generator.site.write import write_pages

from .conftest import SEEDS, copy_project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Settings, Dossier]:
    monkeypatch.setattr(site_pages, "PARALLEL_FROM_RECORDS", 0)  # the sample is small
    settings = copy_project(tmp_path / "project", SEEDS)
    state = run(settings, Stage.MODEL, replay=False)
    assert state.dossier is not None
    return settings, state.dossier


def rendered(dossier: Dossier, settings: Settings, jobs: int) -> list[tuple[object, ...]]:
    pages = dossier_pages(dossier, dataclasses.replace(settings, jobs=jobs))
    return [(page.path, page.text, page.inputs, page.kept) for page in pages]


def test_two_processes_render_the_pages_one_renders(project: tuple[Settings, Dossier]) -> None:
    settings, dossier = project
    alone = rendered(dossier, settings, jobs=1)
    assert len(alone) > 50 and not any(kept for *_, kept in alone)
    assert rendered(dossier, settings, jobs=2) == alone


def test_two_processes_keep_the_pages_one_keeps(project: tuple[Settings, Dossier]) -> None:
    settings, dossier = project
    write_pages(dossier_pages(dossier, settings), settings.content_dir)
    alone = rendered(dossier, settings, jobs=1)
    assert sum(1 for *_, kept in alone if kept) > 40
    assert rendered(dossier, settings, jobs=2) == alone


def test_a_template_error_in_a_worker_is_a_clear_error(
    project: tuple[Settings, Dossier],
) -> None:
    settings, dossier = project
    template = settings.templates_dir / "event.md.j2"
    template.write_text("{{ event.no_such_field.deeper }}\n", encoding="utf-8")
    with pytest.raises(BuildError, match="template error"):
        dossier_pages(dossier, dataclasses.replace(settings, jobs=2))


def test_tasks_give_their_results_in_order_and_their_errors() -> None:
    tasks = [lambda n=n: n * n for n in range(9)]
    assert in_forked_processes(tasks, jobs=2) == [n * n for n in range(9)]

    def fails() -> int:
        raise ValueError("bad page")

    with pytest.raises(ValueError, match="bad page"):
        in_forked_processes([*tasks, fails], jobs=2)


def test_one_job_runs_the_tasks_here() -> None:
    seen: list[int] = []
    in_forked_processes([lambda: seen.append(1), lambda: seen.append(2)], jobs=1)
    assert seen == [1, 2]


def test_with_the_parent_too_one_fork_fewer_shares_the_tasks() -> None:
    """The render stage's way: this process takes tasks beside one forked worker (a
    worker holds its own copy of much of the dossier), results in order all the same."""

    def pid_after(n: int) -> tuple[int, int]:
        time.sleep(0.05)  # long enough that both processes take some
        return n, os.getpid()

    tasks = [partial(pid_after, n) for n in range(12)]
    done = in_forked_processes(tasks, jobs=2, parent_too=True)
    assert [n for n, _ in done] == list(range(12))
    pids = {pid for _, pid in done}
    assert os.getpid() in pids and len(pids) == 2
    forked_only = {pid for _, pid in in_forked_processes(tasks, jobs=2)}
    assert os.getpid() not in forked_only
