"""One build at a time per content folder: two builds writing the same pages and
swapping the same site would mix their files. The lock is an `flock` on a file in the
content folder, which the system releases when the process ends, however it ends: a
killed build leaves no stale lock (a file perhaps, which the next build locks and
removes). A second build does not wait: it says which process holds the lock and stops
(exit 1), so that a script never hangs behind a stuck build."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from generator.errors import BuildError

LOCK = ".dossier-build.lock"


@contextmanager
def build_lock(content: Path) -> Iterator[None]:
    """Hold the content folder's lock, or stop with the pid of the build that holds it.
    The lock file is removed when the build ends (before the lock is released)."""
    path = content / LOCK
    try:
        content.mkdir(parents=True, exist_ok=True)
        file = _locked_file(path)
    except OSError as error:
        raise BuildError(f"cannot write the content folder {content}: {error.strerror}") from error
    with file:
        try:
            file.truncate(0)
            file.write(f"{os.getpid()}\n")
            file.flush()
            yield
        finally:
            path.unlink(missing_ok=True)
            fcntl.flock(file, fcntl.LOCK_UN)


def _locked_file(path: Path) -> TextIO:
    """The lock file, opened and locked; a BuildError if another process holds it."""
    while True:
        file = path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.seek(0)
            holder = file.read().strip() or "unknown"
            file.close()
            raise BuildError(
                f"another build (pid {holder}) is writing {path.parent}: wait for it to "
                f"end, then build again (lock file {path})"
            ) from None
        if _same_file(file, path):
            return file
        file.close()  # its holder removed it meanwhile: lock the new one


def _same_file(file: TextIO, path: Path) -> bool:
    try:
        return os.fstat(file.fileno()).st_ino == path.stat().st_ino
    except FileNotFoundError:
        return False
