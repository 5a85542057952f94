"""Ingest, bytes to text: read a file within the size limit and decode it.

UTF-8 (with or without a byte order mark) is read as is; UTF-16/32 need their mark.
Documents that are not text (PDF, images, archives, binary) are refused by their first
bytes. Other text is read in a legacy encoding guessed by charset-normalizer, and noted.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from generator.files import NotRegularFile, read_regular_file, regular_file_size
from generator.ingest.problems import ArticleError, Notes

# A limit, see README "Bad input" and MAX_ARTICLE_CHARS in ingest/read.py: the default of
# the `max_article_bytes` setting. Larger files are not even read (HTML pages carry markup).
MAX_FILE_BYTES = 10_000_000


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (.docx, .odt, .epub...)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)


# Candidate legacy encodings, Western first: without this list charset-normalizer
# may read French cp1252 as cp1250 (`près` -> `prčs`).
LEGACY_ENCODINGS = ["cp1252", "iso8859_15", "mac_roman", "cp1256", "cp1251"]


ENCODING_NAMES = {
    "cp1252": "Windows-1252 (cp1252)",
    "latin_1": "ISO-8859-1 (Latin-1)",
    "iso8859_15": "ISO-8859-15 (Latin-9)",
    "mac_roman": "Mac Roman",
    "cp1256": "Windows-1256 (Arabic)",
    "cp1251": "Windows-1251 (Cyrillic)",
}


def read_text(path: Path, notes: Notes, limit: int = MAX_FILE_BYTES) -> str:
    """The text of a regular file of at most `limit` bytes, with `\n` line ends; not
    UTF-8 is detected and noted."""
    try:
        check_size(regular_file_size(path), limit)
        data = read_regular_file(path, limit)
    except NotRegularFile as error:
        raise ArticleError(str(error)) from error
    except OSError as error:
        raise ArticleError(f"cannot be read: {error.strerror or error}") from error
    check_size(len(data), limit)
    text = decode(data, notes)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_size(size: int, limit: int) -> None:
    if size <= limit:
        return
    if limit >= 1_000_000:
        sizes = f"{size / 1e6:.1f} MB, over the limit of {limit / 1e6:g} MB"
    else:
        sizes = f"{size:,} bytes, over the limit of {limit:,} bytes"
    raise ArticleError(f"is {sizes} per file (max_article_bytes; split it into several files)")


# Characters that are not text: controls (C0 but tab and line ends, DEL, C1) and lone
# surrogates (a YAML `"\ud800"` escape). Pages and exports could not be written with them.
NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def replace_non_text(text: str, where: str, notes: Notes) -> str:
    """The text with its control characters and lone surrogates replaced by U+FFFD, noted
    as `<where> has ...`."""
    found = NOT_TEXT.findall(text)
    if not found:
        return text
    surrogates = len(_SURROGATE.findall("".join(found)))
    kinds = [
        f"{len(found) - surrogates} control character(s)" if len(found) > surrogates else "",
        f"{surrogates} unpaired surrogate(s)" if surrogates else "",
    ]
    notes.append(f"{where} has {' and '.join(filter(None, kinds))}: replaced by U+FFFD")
    return NOT_TEXT.sub("\ufffd", text)


def decode(data: bytes, notes: Notes) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as error:
                raise ArticleError(f"starts with a {codec} mark but is not {codec}") from error
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise ArticleError(f"is {kind}, not text (convert it to .txt, .md or .html)")
    if b"\x00" in data[:8192]:
        raise ArticleError("is a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error.start
    encoding = guess_encoding(data)
    if encoding is None:
        raise ArticleError(
            f"is not UTF-8 (invalid byte at offset {utf8_error}) nor text in a known encoding"
        )
    notes.append(f"is not UTF-8: read as {ENCODING_NAMES.get(encoding, encoding)}")
    return data.decode(encoding)


def guess_encoding(data: bytes) -> str | None:
    """The legacy encoding of a text, by charset-normalizer; None when it is no text."""
    best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        return None
    encoding = best.encoding
    if encoding not in {"cp1252", "iso8859_15", "mac_roman"} and not best.coherence:
        encoding = "cp1252"  # too short to tell: French first
    if encoding == "cp1252" and not any(0x80 <= b <= 0x9F for b in data):
        encoding = "latin_1"  # the same characters: say the simpler, standard name
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding
