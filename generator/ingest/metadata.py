"""Ingest, metadata: keep the known keys of front matter or HTML meta tags.

Values of the wrong type and dates that are not dates are noted and left out; nothing
is invented (a missing key stays missing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TypedDict, cast

from generator.ingest.decode import replace_non_text
from generator.ingest.problems import ArticleError, Notes
from generator.nlp.languages import SUPPORTED
from generator.web import is_web_url

METADATA_KEYS = ("title", "date", "outlet", "url", "language", "author")
DATE_RANGE = (dt.date(1600, 1, 1), dt.date(2199, 12, 31))


class Metadata(TypedDict, total=False):
    """The metadata of an article, as far as its file gives it (see METADATA_KEYS)."""

    title: str
    date: dt.date
    outlet: str
    url: str
    language: str
    author: str


def validate_metadata(meta: Mapping[str, object], notes: Notes | None = None) -> Metadata:
    """Keep the known keys with the right types; a wrong value is noted and left out."""
    notes = Notes() if notes is None else notes
    clean: dict[str, str | dt.date | None] = {}
    for key in METADATA_KEYS:
        value = meta.get(key)
        if value is None or value == "":
            continue
        if key == "date":
            try:
                clean[key] = parse_date(value)
            except ArticleError as error:
                notes.append(f"{error}: date left empty")
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            text = replace_non_text(str(value), f"front matter `{key}`", notes)
            clean[key] = " ".join(text.split()) or None
        else:
            notes.append(f"front matter `{key}` must be text, not {type(value).__name__}: ignored")
    clean["url"] = checked_url(clean.get("url"), notes)
    clean["language"] = checked_language(clean.get("language"), notes)
    return cast(Metadata, {k: v for k, v in clean.items() if v is not None})


def checked_url(url: object, notes: Notes) -> str | None:
    """An http(s) address, or None: a `javascript:` or `data:` URL is never published."""
    if not isinstance(url, str):
        return None
    if not is_web_url(url):
        notes.append("`url` is not an http(s) address: dropped")
        return None
    return url


def checked_language(language: object, notes: Notes) -> str | None:
    """A supported language code (`fr-FR` is `fr`), or None: detected from the text."""
    if not isinstance(language, str):
        return None
    code = language.lower()[:2]
    if code not in SUPPORTED:
        shown = language[:20]
        notes.append(
            f"front matter `language` {shown!r} is not supported ({', '.join(SUPPORTED)}): "
            "replaced by detection"
        )
        return None
    return code


def parse_date(value: object) -> dt.date:
    date = None
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif isinstance(value, str):
        try:
            date = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            date = None
    if date is None:
        shown = str(value)[:40]
        raise ArticleError(f"front matter `date` is not a date in YYYY-MM-DD form: {shown!r}")
    low, high = DATE_RANGE
    if not low <= date <= high:
        raise ArticleError(
            f"front matter `date` {date.isoformat()} is outside {low.year}–{high.year}"
        )
    return date
