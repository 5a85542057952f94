"""Files read safely from the editor's folders, and written whole or not at all.

A FIFO, a socket or a device named like an article would make a plain `open()` wait
forever (or read without end): `read_regular_file` opens without blocking, checks that
what it opened is a regular file, and reads at most `limit` bytes.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from pathlib import Path

KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a folder",
}


class NotRegularFile(OSError):
    """The path is not a regular file (or leads nowhere): it is never opened."""


def file_kind(mode: int) -> str:
    return KINDS.get(stat.S_IFMT(mode), "not a regular file")


def regular_file_size(path: Path) -> int:
    """The size of a regular file (links followed); `NotRegularFile` says why it is not."""
    try:
        status = path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotRegularFile("is a link that loops back on itself") from error
        if path.is_symlink():
            raise NotRegularFile("is a broken link") from error
        raise
    if not stat.S_ISREG(status.st_mode):
        raise NotRegularFile(f"is {file_kind(status.st_mode)}, not a regular file")
    return status.st_size


def read_regular_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file, at most `limit` + 1 of them (so that a file that grew
    past the limit shows it). Opened without blocking, checked once open."""
    regular_file_size(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket swapped in
            raise NotRegularFile("is a socket, not a regular file") from error
        raise
    with os.fdopen(descriptor, "rb") as file:
        mode = os.fstat(file.fileno()).st_mode
        if not stat.S_ISREG(mode):  # swapped since the first look
            raise NotRegularFile(f"is {file_kind(mode)}, not a regular file")
        return file.read() if limit is None else file.read(limit + 1)


def write_atomically(path: Path, data: bytes, temporary: Path | None = None) -> None:
    """Write `data` to a temporary file beside `path` (`temporary`, or a new unique one),
    then rename it over `path`: a reader, or the next build after a crash, sees the old
    file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if temporary is None:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(handle)
        temporary = Path(name)
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def file_stamp(path: str | os.PathLike[str]) -> list[int]:
    """A file's size and modification time: whether it is still the file seen then
    (in the records, which are JSON: a list)."""
    status = os.stat(path)
    return [status.st_size, status.st_mtime_ns]


def file_hash(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file, read in blocks."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def remove_empty_folders(folder: Path, stop: Path) -> None:
    """The folder removed if empty, then its parents up to `stop` (not included). One
    `rmdir` each, which fails on a folder that is not empty: listing a folder of 8,000
    entity pages to see whether it is took a second of adding one article to 10,000."""
    while folder != stop:
        try:
            folder.rmdir()
        except OSError:  # not empty, not a folder, or gone
            return
        folder = folder.parent
