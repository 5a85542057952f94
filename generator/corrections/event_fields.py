"""The fields of an event entry of the corrections file (`title`, `kind`, `date`, `end`,
`places`, `actors`, `figures`, `description`, `sources`) and event addresses, each
checked as it is read; a wrong value is reported with the line of its key."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.corrections.yaml_file import CorrectionsError
from generator.events.lexicon import EventLexicon
from generator.events.merge import date_range
from generator.records import FIGURE_KINDS, Figure
from generator.text import fold

PEOPLE_UNIT = "personnes"
AREA_UNIT = "km²"
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_AMOUNT = re.compile(r"(\d+)\s*(.*)")
SOURCE_KEYS = {"article", "quote"}


@dataclass(frozen=True)
class CuratedDate:
    value: dt.date  # the start, as for found events (the 1st of a month...)
    end: dt.date
    precision: str  # day / month / year


@dataclass(frozen=True)
class CuratedSource:
    article: str  # as written: a file name or the source's address
    quote: str | None = None


@dataclass(frozen=True)
class Entry:
    """One item of a list, with where it is, for errors that name the file and line."""

    value: object
    path: Path
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    def error(self, message: str, key: str | None = None) -> CorrectionsError:
        line = self.key_lines.get(key, self.line) if key else self.line
        return CorrectionsError(f"{self.path}:{line}: {message}")

    def get(self, key: str) -> object:
        """The value of a key of a mapping entry; None for another entry."""
        return self.value.get(key) if isinstance(self.value, dict) else None


def text_field(entry: Entry, key: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise entry.error(f"`{key}` must be text", key)
    text = " ".join(str(value).split())
    if not text:
        raise entry.error(f"`{key}` is empty", key)
    return text


def known_kinds(lexicon: EventLexicon) -> str:
    return ", ".join(f"{key} ({lexicon.label(key)})" for key in lexicon.types)


def kind_field(entry: Entry, lexicon: EventLexicon) -> str | None:
    """An event type of data/events.yml, by its key (`air_strike`) or its label."""
    text = text_field(entry, "kind")
    if text is None:
        return None
    for key in lexicon.types:
        if fold(text) in (fold(key), fold(lexicon.label(key))):
            return key
    raise entry.error(f"unknown kind {text!r} (use one of: {known_kinds(lexicon)})", "kind")


def date_field(entry: Entry) -> CuratedDate | None:
    """`2017-02-24` (a day), `2017-02` (a month) or `2017` (a year); `end` for a range."""
    if entry.get("date") is None:
        if entry.get("end") is not None:
            raise entry.error("`end` needs a `date` (the first day)", "end")
        return None
    start, precision = _iso_date(entry, "date")
    end = date_range(start, precision)[1]
    if entry.get("end") is not None:
        end, end_precision = _iso_date(entry, "end")
        if precision != "day" or end_precision != "day":
            raise entry.error("a range is two days: `date: 2017-02-19`, `end: 2017-02-26`", "end")
        if end < start:
            raise entry.error(f"`end` ({end}) is before `date` ({start})", "end")
    return CuratedDate(start, end, precision)


def _iso_date(entry: Entry, key: str) -> tuple[dt.date, str]:
    value = entry.get(key)
    text = str(value).strip() if isinstance(value, str | int) else ""
    match = _ISO_DATE.fullmatch(text)
    if isinstance(value, bool) or match is None:
        raise entry.error(
            f"`{key}` must be an ISO date: 2017-02-24, 2017-02 (a month) or 2017 (a year), "
            f"not {value!r}",
            key,
        )
    year, month, day = (int(part) if part else 0 for part in match.groups())
    try:
        date = dt.date(year, month or 1, day or 1)
    except ValueError:
        raise entry.error(f"`{key}`: there is no such date as {text}", key) from None
    return date, "day" if day else "month" if month else "year"


def names_field(entry: Entry, key: str) -> tuple[str, ...] | None:
    """Entity names, resolved against the dossier when the entries are applied."""
    value = entry.get(key)
    if value is None:
        return None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise entry.error(f"`{key}` must be a list of names", key)
    return tuple(dict.fromkeys(" ".join(v.split()) for v in values))


def figures_field(entry: Entry) -> tuple[Figure, ...] | None:
    value = entry.get("figures")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise entry.error(f"`figures` must be a mapping of {', '.join(FIGURE_KINDS)}", "figures")
    figures = [_figure(entry, kind, amount) for kind, amount in value.items()]
    return tuple(sorted(figures, key=lambda f: FIGURE_KINDS.index(f.kind)))


def _figure(entry: Entry, kind: object, amount: object) -> Figure:
    if kind not in FIGURE_KINDS:
        raise entry.error(f"unknown figure {kind!r} (use {', '.join(FIGURE_KINDS)})", "figures")
    text = str(amount).strip() if isinstance(amount, int | str) else ""
    match = None if isinstance(amount, bool) else _AMOUNT.fullmatch(text)
    unit = match.group(2).strip() if match else ""
    if match is None or (unit and kind != "area"):
        wanted = "a number of people"
        if kind == "area":
            wanted = "a number, or a number and its unit (`30 km²`)"
        raise entry.error(f"`figures.{kind}` must be {wanted}, not {amount!r}", "figures")
    unit = unit or (AREA_UNIT if kind == "area" else PEOPLE_UNIT)
    value = int(match.group(1))
    return Figure(str(kind), value, unit, f"{value} {unit}")


def sources_field(entry: Entry) -> tuple[CuratedSource, ...] | None:
    """`sources: [a.txt, {article: b.txt, quote: "..."}]`; one source may be given alone."""
    value = entry.get("sources")
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    sources = [_source(entry, item) for item in values]
    if not sources:
        raise entry.error("`sources` is empty", "sources")
    return tuple(sources)


def _source(entry: Entry, item: object) -> CuratedSource:
    if isinstance(item, str) and item.strip():
        return CuratedSource(item.strip())
    wanted = 'a source is an article file name, or {article: FILE, quote: "..."}'
    if not isinstance(item, dict):
        raise entry.error(wanted, "sources")
    unknown = sorted(str(k) for k in item if k not in SOURCE_KEYS)
    if unknown:
        raise entry.error(f"unknown key(s) {', '.join(unknown)} in a source ({wanted})", "sources")
    article, quote = item.get("article"), item.get("quote")
    if not isinstance(article, str) or not article.strip():
        raise entry.error(f"a source needs its `article` ({wanted})", "sources")
    if quote is not None and (not isinstance(quote, str) or not fold(quote)):
        raise entry.error("a source's `quote` must be words of the article", "sources")
    return CuratedSource(article.strip(), " ".join(quote.split()) if quote else None)


def event_address(entry: Entry, value: object, key: str | None = None) -> str:
    """An event's address as written: `2017-02-24-frappe...`, or its page's URL."""
    text = value.strip() if isinstance(value, str) else ""
    text = text.split("#")[0].split("?")[0]
    if "events/" in text:
        text = text.rsplit("events/", 1)[1]
    slug = text.strip("/").split("/")[0].removesuffix(".md")
    if not _SLUG.fullmatch(slug):
        raise entry.error(
            f"{value!r} is not an event's address (the end of its page's URL, /events/<address>/)",
            key,
        )
    return slug
