"""Independent tasks run over forked worker processes, their results in the order given.

The workers are forked once the tasks exist, so that what they read (the dossier and the
templates; MkDocs' config, files and nav) comes with the fork and only the results are
pickled back. The render stage and the MkDocs build (`mkdocs_pages`) both run their
workers here.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from generator.collector import long_lived

T = TypeVar("T")

_TASKS: Sequence[Callable[[], Any]] = ()  # what a forked worker runs, by index
_NEXT: Any = None  # the index of the next task to take, shared with the workers


def in_forked_processes(
    tasks: Sequence[Callable[[], T]], jobs: int, *, parent_too: bool = False
) -> list[T]:
    """Each task's result, in the tasks' order: in this process when `jobs` is 1 (or
    there is a single task), else over `jobs` processes, a task's error raised here as
    it was raised there. The processes take the tasks in their order, the next one as
    each is free. With `parent_too`, this process is one of them and forks `jobs - 1`:
    each forked worker ends up with a private copy of much of what it reads (reference
    counts write to its pages), so that one fork fewer is that much memory less."""
    if jobs <= 1 or len(tasks) <= 1:
        return [task() for task in tasks]
    global _TASKS, _NEXT
    context = multiprocessing.get_context("fork")
    workers = min(jobs, len(tasks)) - (1 if parent_too else 0)
    _TASKS, _NEXT = tasks, context.Value("i", 0)
    try:
        # the inherited objects set aside: a worker's collector leaves their pages shared
        with long_lived(), context.Pool(workers) as pool:
            theirs = pool.map_async(_take_tasks, range(workers), chunksize=1)
            outcomes = dict(_take_tasks(-1) if parent_too else [])
            for taken in theirs.get():
                outcomes.update(taken)
    finally:
        _TASKS, _NEXT = (), None
    results: list[T] = []
    for index in range(len(tasks)):
        result, error = outcomes[index]
        if error is not None:
            raise error
        results.append(result)
    return results


def _take_tasks(_: int) -> list[tuple[int, tuple[Any, BaseException | None]]]:
    """The tasks this process takes, one after the other until none is left, with their
    outcomes."""
    done: list[tuple[int, tuple[Any, BaseException | None]]] = []
    while True:
        with _NEXT.get_lock():
            index = _NEXT.value
            _NEXT.value += 1
        if index >= len(_TASKS):
            return done
        done.append((index, _run_task(index)))


def _run_task(index: int) -> tuple[Any, BaseException | None]:
    """In a worker: the task's result, or its error (made plain text when it does not
    survive pickling, as some library exceptions do not)."""
    try:
        return _TASKS[index](), None
    except Exception as error:
        try:
            pickle.loads(pickle.dumps(error))
        except Exception:
            return None, RuntimeError(f"{type(error).__name__}: {error}")
        return None, error
