"""Python's cyclic garbage collector, set for processes that hold a whole dossier.

Each full collection walks every object the process holds: 2.4 s for the tens of millions
of a dossier of 10,000 articles, and Python runs one whenever the objects that survived
the young collections grow by a quarter. The records are dataclasses of strings and
tuples, freed by their reference counts, so the collector has little to find in them:

- `rare_full_collections`: while the dossier is being made (the stages up to the model);
- `long_lived`: once it is made, its objects are set aside (`gc.freeze`): later full
  collections walk what was made since, not the dossier, MkDocs' files or its nav;
- `without_cycle_collection`: for a task that builds large data without cycles (the
  exports), where each full collection would walk all it has built so far;
- `release_memory`: what was freed handed back to the system before MkDocs starts.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Callable, Iterator
from functools import partial
from typing import TypeVar

T = TypeVar("T")

FEWER_YOUNG_COLLECTIONS = 100_000  # allocations between two collections (Python's: 700)


@contextlib.contextmanager
def rare_full_collections() -> Iterator[None]:
    """The young generations collected as usual (less often), the whole heap rarely."""
    thresholds = gc.get_threshold()
    gc.set_threshold(FEWER_YOUNG_COLLECTIONS, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


@contextlib.contextmanager
def long_lived() -> Iterator[None]:
    """Every object now held set aside from the collector until the block ends: still
    freed by its reference count, only a cycle among them is left for later. Nested
    uses (`in_forked_processes` freezes before it forks) leave it to the outer one."""
    outer = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not outer:
            gc.unfreeze()


def without_cycle_collection(task: Callable[[], T]) -> Callable[[], T]:
    """`task`, run with the cyclic collector off. At 10,000 articles the
    FollowTheMoney export took 12.9 s, 4.5 s without it."""
    return partial(_without_collector, task)


def _without_collector(task: Callable[[], T]) -> T:
    enabled = gc.isenabled()
    gc.disable()
    try:
        return task()
    finally:
        if enabled:
            gc.enable()


def release_memory() -> None:
    """Give the memory the generator freed back to the system before MkDocs builds beside
    this process: without `malloc_trim`, glibc keeps it, and at 1,000 articles the process
    still held 0.65 GB after the dossier was freed (0.29 GB after the trim)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)
