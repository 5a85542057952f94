"""Inputs made up for tests, written once.

`article(...)` builds an `Article`: everything a test does not name gets a neutral value
(slug `a`, file `<slug>.txt`, title `t`, no date, outlet, URL, language or author, sha256
`0`). `write_corrections(folder, text)` writes a corrections file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.records import Article


def article(
    *paragraphs: str,
    slug: str = "a",
    filename: str | None = None,
    title: str = "t",
    date: dt.date | None = None,
    outlet: str | None = None,
    language: str | None = None,
) -> Article:
    """An article with these paragraphs (the file name defaults to `<slug>.txt`)."""
    return Article(
        slug=slug,
        filename=f"{slug}.txt" if filename is None else filename,
        title=title,
        title_derived=False,
        date=date,
        outlet=outlet,
        url=None,
        language=language,
        author=None,
        paragraphs=paragraphs,
        sha256="0",
    )


def write_corrections(folder: Path, text: str) -> Path:
    """`folder/corrections.yml` with this text."""
    path = folder / "corrections.yml"
    path.write_text(text, encoding="utf-8")
    return path
