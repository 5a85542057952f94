"""The pipeline as the tests run it: the stages every command runs (generator.pipeline.run),
stopped where a test looks."""

from __future__ import annotations

from generator.pipeline import Run, Stage, run
from generator.records import BuildReport, Dossier
from generator.settings import Settings


def generate(settings: Settings) -> tuple[Dossier, BuildReport]:
    """The pages written into the content folder (up to the render stage), never a replay
    of an earlier build."""
    state = run(settings, Stage.RENDER, replay=False)
    assert state.dossier is not None and state.report is not None
    return state.dossier, state.report


def make_dossier(settings: Settings) -> Dossier:
    """The model, as `dossier extract` and `dossier evaluate` get it."""
    state = run(settings, Stage.MODEL)
    assert state.dossier is not None
    return state.dossier


def extract_and_resolve(settings: Settings) -> Run:
    """The entities, up to the resolve stage."""
    return run(settings, Stage.RESOLVE)
