"""Ingest, paragraphs: cut paragraphs that are too long, take or derive the title.

A file without a `title` in its metadata gets its first line as title when that reads
like one, else the start of its first sentence (marked as derived).
"""

from __future__ import annotations

import re

from generator.ingest.problems import Notes

TITLE_MAX_CHARS = 160
DERIVED_TITLE_CHARS = 90
# A limit, see README "Bad input" and MAX_ARTICLE_CHARS in ingest/read.py.
MAX_PARAGRAPH_CHARS = 10_000  # longer paragraphs are split at sentence ends

_SENTENCE_END = re.compile(r"[.!?…»](?=\s)")


def split_long_paragraphs(paragraphs: list[str], notes: Notes) -> list[str]:
    """Cut paragraphs over MAX_PARAGRAPH_CHARS at sentence ends (else at a space), so
    that spaCy never sees a huge text and pages stay readable."""
    out: list[str] = []
    longest = 0
    for paragraph in paragraphs:
        if len(paragraph) <= MAX_PARAGRAPH_CHARS:
            out.append(paragraph)
            continue
        longest = max(longest, len(paragraph))
        out.extend(cut_paragraph(paragraph, MAX_PARAGRAPH_CHARS))
    if longest:
        notes.append(
            f"has a paragraph of {longest:,} characters: long paragraphs split into "
            f"parts of at most {MAX_PARAGRAPH_CHARS:,}"
        )
    return out


def cut_paragraph(text: str, limit: int) -> list[str]:
    parts = []
    while len(text) > limit:
        window = text[: limit + 1]
        ends = [m.end() for m in _SENTENCE_END.finditer(window)]
        cut = ends[-1] if ends and ends[-1] > limit // 2 else window.rfind(" ")
        if cut <= limit // 2:
            cut = limit
        parts.append(text[:cut].strip())
        text = text[cut:].strip()
    parts.append(text)
    return [p for p in parts if p]


def title_from_text(paragraphs: list[str]) -> tuple[str, list[str], bool]:
    """The first line is the title when it reads like one: short and no final period."""
    first = paragraphs[0]
    if len(first) <= TITLE_MAX_CHARS and not first.rstrip().endswith((".", "!", "?", ":", "»")):
        return first, paragraphs[1:], False
    return derive_title(first), paragraphs, True


def derive_title(text: str) -> str:
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(sentence) <= DERIVED_TITLE_CHARS:
        return sentence.rstrip(".")
    cut = sentence[:DERIVED_TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"
