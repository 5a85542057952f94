"""The collector's settings for processes that hold a whole dossier (`generator.collector`)."""

from __future__ import annotations

import gc

import pytest

from generator.collector import long_lived, rare_full_collections, without_cycle_collection


def test_a_long_lived_block_sets_what_is_held_apart_until_it_ends():
    held = [[number] for number in range(1000)]
    before = gc.get_freeze_count()
    with long_lived():
        frozen = gc.get_freeze_count()
        assert frozen >= before + len(held)
        with long_lived():  # as the forked workers' within a build
            pass
        assert gc.get_freeze_count() >= frozen  # the inner block left them to the outer one
    assert gc.get_freeze_count() == before


def test_a_task_without_cycle_collection_gives_the_collector_back_even_when_it_fails():
    task = without_cycle_collection(lambda: gc.isenabled())
    assert task() is False and gc.isenabled()

    def failing() -> None:
        raise ValueError("bad")

    with pytest.raises(ValueError, match="bad"):
        without_cycle_collection(failing)()
    assert gc.isenabled()


def test_full_collections_are_rare_only_within_the_block():
    thresholds = gc.get_threshold()
    with rare_full_collections():
        assert gc.get_threshold()[0] > thresholds[0]
    assert gc.get_threshold() == thresholds
