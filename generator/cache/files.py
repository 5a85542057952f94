"""Cache files written whole or not at all, and read back only when intact.

An entry is written to a temporary file beside it, then renamed over it: a build killed
half-way leaves the old entry or none, never half of one. Each entry carries the
SHA-256 of its content, so that a truncated or altered entry is recognised and
computed again. The cache only saves time: an entry that cannot be written (a full
disk, a read-only folder) is a warning, never a failed build.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from generator.files import write_atomically

log = logging.getLogger(__name__)

CHECKSUM = "checksum"


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")


def sealed(payload: dict[str, Any]) -> bytes:
    """`payload` as JSON, with the checksum of its content."""
    return json.dumps({CHECKSUM: checksum(_canonical(payload)), **payload}).encode("utf-8")


def unsealed(data: bytes) -> dict[str, Any]:
    """The payload of a sealed entry; ValueError if it is truncated or altered."""
    stored = json.loads(data)
    if not isinstance(stored, dict) or not isinstance(stored.get(CHECKSUM), str):
        raise ValueError("no checksum")
    expected = stored.pop(CHECKSUM)
    if checksum(_canonical(stored)) != expected:
        raise ValueError("checksum mismatch")
    return stored


def try_to_write(path: Path, data: bytes) -> bool:
    """Write a cache file; on failure warn with the path and go on (False)."""
    try:
        write_atomically(path, data)
    except OSError as error:
        log.warning("%s: cannot write to the cache (%s); going on without it", path, error.strerror)
        return False
    return True
