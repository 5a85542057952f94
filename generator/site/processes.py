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

T = TypeVar("T")

_TASKS: Sequence[Callable[[], Any]] = ()  # what a forked worker runs, by index


def in_forked_processes(tasks: Sequence[Callable[[], T]], jobs: int) -> list[T]:
    """Each task's result, in the tasks' order: in this process when `jobs` is 1 (or
    there is a single task), else over `jobs` forked processes, a task's error raised
    here as it was raised there."""
    if jobs <= 1 or len(tasks) <= 1:
        return [task() for task in tasks]
    global _TASKS
    _TASKS = tasks
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(tasks))) as pool:
            outcomes = pool.map(_run_task, range(len(tasks)), chunksize=1)
    finally:
        _TASKS = ()
    results: list[T] = []
    for result, error in outcomes:
        if error is not None:
            raise error
        results.append(result)
    return results


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
