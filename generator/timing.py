"""How long each stage takes (logged, read by the benchmark) and progress bars."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from tqdm import tqdm

log = logging.getLogger(__name__)

T = TypeVar("T")


@contextmanager
def timed(stage: str) -> Iterator[None]:
    """Log how long a stage took (shown with `dossier -v`, read by the benchmark)."""
    start = time.perf_counter()
    yield
    log.info("stage %s: %.3f s", stage, time.perf_counter() - start)


def progress(items: Iterable[T], total: int, stage: str, unit: str) -> Iterable[T]:
    """A progress bar on a terminal, nothing otherwise (CI logs, pipes)."""
    return tqdm(items, total=total, desc=stage, unit=unit, disable=None, leave=False)
