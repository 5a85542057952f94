"""Cache files written whole or not at all, and read back only when intact.

An entry is written to a temporary file beside it, then renamed over it: a build killed
half-way leaves the old entry or none, never half of one. Each entry carries the
SHA-256 of its content, so that a truncated or altered entry is recognised and
computed again. The cache only saves time: an entry that cannot be written (a full
disk, a read-only folder) is a warning, never a failed build.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import orjson

from generator.files import write_atomically

log = logging.getLogger(__name__)

CHECKSUM = "checksum"


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


SEAL = b"dossier-cache 1 "  # then the checksum of the JSON body, a newline, the body


def sealed(payload: dict[str, Any]) -> bytes:
    """`payload` as JSON (orjson, keys sorted), after a line with the checksum of those
    bytes."""
    body = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    return SEAL + checksum(body).encode() + b"\n" + body


def unsealed(data: bytes) -> dict[str, Any]:
    """The payload of a sealed entry; ValueError if it is truncated, altered or of an
    older format. The checksum is of the bytes read: checking it re-encodes nothing (the
    JSON entries of before, whose checksum was of their re-encoded payload, took as long
    to check as to decode: 20,000 of them are read when one article is added to 10,000)."""
    head, _, body = data.partition(b"\n")
    if not head.startswith(SEAL):
        raise ValueError("an entry of an older format" if data[:1] == b"{" else "no checksum")
    if head[len(SEAL) :] != checksum(body).encode():
        raise ValueError("checksum mismatch")
    stored = orjson.loads(body)
    if not isinstance(stored, dict):
        raise ValueError("not a sealed entry")
    return stored


def try_to_write(path: Path, data: bytes) -> bool:
    """Write a cache file; on failure warn with the path and go on (False)."""
    try:
        write_atomically(path, data)
    except OSError as error:
        log.warning("%s: cannot write to the cache (%s); going on without it", path, error.strerror)
        return False
    return True
