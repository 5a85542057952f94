"""TODO docstring."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from generator.corrections.entities import CorrectionsError, read_corrections_file
from generator.events.find import (
    EventLexicon,
    date_range,
    load_event_lexicon,
)
from generator.records import FIGURE_KINDS, Figure
from generator.text import fold

KINDS_OF_ENTRY = ("add", "correct", "merge", "reject")


FIELDS = ("title", "kind", "date", "places", "actors", "figures", "description", "sources")


ADD_KEYS = {*FIELDS, "end"}


CORRECT_KEYS = {*ADD_KEYS, "event"}


SOURCE_KEYS = {"article", "quote"}


PEOPLE_UNIT = "personnes"


AREA_UNIT = "km²"


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


_AMOUNT = re.compile(r"(\d+)\s*(.*)")


_A = {"place": "a place", "organisation": "an organisation", "person": "a person"}


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
class CuratedEvent:
    """An `add` entry (slug None) or a `correct` entry; None: a field it does not give."""

    slug: str | None = None
    title: str | None = None
    kind: str | None = None
    date: CuratedDate | None = None
    places: tuple[str, ...] | None = None
    actors: tuple[str, ...] | None = None
    figures: tuple[Figure, ...] | None = None
    description: str | None = None
    sources: tuple[CuratedSource, ...] | None = None
    line: int = 0
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Merge:
    slugs: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True)
class Rejection:
    slug: str
    line: int = 0


@dataclass(frozen=True)
class EventCorrections:
    added: tuple[CuratedEvent, ...] = ()
    corrected: tuple[CuratedEvent, ...] = ()
    merged: tuple[Merge, ...] = ()
    rejected: tuple[Rejection, ...] = ()
    path: str | None = None


@dataclass(frozen=True)
class _Entry:
    """One item of a list, with where it is, for errors that name the file and line."""

    value: object
    path: Path
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    def error(self, message: str, key: str | None = None) -> CorrectionsError:
        line = self.key_lines.get(key, self.line) if key else self.line
        return CorrectionsError(f"{self.path}:{line}: {message}")

    def get(self, key: str) -> object:
        return self.value.get(key) if isinstance(self.value, dict) else None


def load_event_corrections(
    path: Path | None, lexicon: EventLexicon | None = None
) -> EventCorrections:
    """Read and check the `events` section; a missing file or section means none."""
    if path is None or not path.exists():
        return EventCorrections()
    data, root = read_corrections_file(path)
    section = data.get("events")
    if section is None:
        return EventCorrections(path=str(path))
    node = _child(root, "events")
    where = _Entry(section, path, _line(node, 1), _key_lines(node))
    if not isinstance(section, dict):
        raise where.error("`events` must be a mapping with add, correct, merge and reject")
    for key in section:
        if key not in KINDS_OF_ENTRY:
            raise where.error(
                f"unknown key {key!r} in `events` (use add, correct, merge, reject)", str(key)
            )
    lexicon = lexicon or load_event_lexicon()
    corrections = EventCorrections(
        added=tuple(_added(e, lexicon) for e in _entries(section, node, "add", path)),
        corrected=tuple(_corrected(e, lexicon) for e in _entries(section, node, "correct", path)),
        merged=tuple(_merge(e) for e in _entries(section, node, "merge", path)),
        rejected=tuple(_rejection(e) for e in _entries(section, node, "reject", path)),
        path=str(path),
    )
    _check_consistent(corrections, path)
    return corrections


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for name, value in node.value if name.value == key), None)


def _line(node: yaml.Node | None, default: int) -> int:
    return node.start_mark.line + 1 if node is not None else default


def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(name.value): name.start_mark.line + 1 for name, _ in node.value}


def _entries(section: dict, node: yaml.Node | None, key: str, path: Path) -> list[_Entry]:
    values = section.get(key) or []
    line = _key_lines(node).get(key, _line(node, 1))
    if not isinstance(values, list):
        raise CorrectionsError(f"{path}:{line}: `events.{key}` must be a list")
    child = _child(node, key)
    items: list[yaml.Node | None] = (
        list(child.value) if isinstance(child, yaml.SequenceNode) else []
    )
    items += [None] * (len(values) - len(items))
    return [
        _Entry(value, path, _line(item, line), _key_lines(item))
        for value, item in zip(values, items, strict=False)
    ]


def _added(entry: _Entry, lexicon: EventLexicon) -> CuratedEvent:
    _check_keys(entry, ADD_KEYS, "an added event")
    event = _fields(entry, lexicon)
    if event.kind is None:
        raise entry.error(f"an added event needs its `kind` ({_kinds(lexicon)})")
    if not event.sources:
        raise entry.error("an added event needs its `sources` (the articles that tell of it)")
    return event


def _corrected(entry: _Entry, lexicon: EventLexicon) -> CuratedEvent:
    _check_keys(entry, CORRECT_KEYS, "a correction")
    if entry.get("event") is None:
        raise entry.error("a correction needs the `event` it corrects (its address)")
    if not set(entry.value) - {"event"}:  # type: ignore[arg-type]
        raise entry.error(f"nothing to correct: give one of {', '.join(FIELDS)}")
    return replace(_fields(entry, lexicon), slug=_slug(entry, entry.get("event"), "event"))


def _check_keys(entry: _Entry, allowed: set[str], what: str) -> None:
    if not isinstance(entry.value, dict):
        raise entry.error(f"{what} is a mapping of its fields ({', '.join(FIELDS)})")
    unknown = sorted(str(k) for k in entry.value if k not in allowed)
    if unknown:
        raise entry.error(
            f"unknown key(s) {', '.join(unknown)} (use {', '.join(sorted(allowed))})", unknown[0]
        )


def _fields(entry: _Entry, lexicon: EventLexicon) -> CuratedEvent:
    return CuratedEvent(
        title=_text(entry, "title"),
        kind=_kind(entry, lexicon),
        date=_date(entry),
        places=_names(entry, "places"),
        actors=_names(entry, "actors"),
        figures=_figures(entry),
        description=_text(entry, "description"),
        sources=_sources(entry),
        line=entry.line,
        key_lines=entry.key_lines,
    )


def _text(entry: _Entry, key: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise entry.error(f"`{key}` must be text", key)
    text = " ".join(str(value).split())
    if not text:
        raise entry.error(f"`{key}` is empty", key)
    return text


def _kinds(lexicon: EventLexicon) -> str:
    return ", ".join(f"{key} ({lexicon.label(key)})" for key in lexicon.types)


def _kind(entry: _Entry, lexicon: EventLexicon) -> str | None:
    """An event type of data/events.yml, by its key (`air_strike`) or its label."""
    text = _text(entry, "kind")
    if text is None:
        return None
    for key in lexicon.types:
        if fold(text) in (fold(key), fold(lexicon.label(key))):
            return key
    raise entry.error(f"unknown kind {text!r} (use one of: {_kinds(lexicon)})", "kind")


def _date(entry: _Entry) -> CuratedDate | None:
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


def _iso_date(entry: _Entry, key: str) -> tuple[dt.date, str]:
    value = entry.get(key)
    text = str(value).strip() if isinstance(value, str | int) else ""
    match = _ISO_DATE.fullmatch(text)
    if isinstance(value, bool) or match is None:
        raise entry.error(
            f"`{key}` must be an ISO date: 2017-02-24, 2017-02 (a month) or 2017 (a year), "
            f"not {value!r}",
            key,
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        value = dt.date(year, month or 1, day or 1)  # type: ignore[arg-type]
    except ValueError:
        raise entry.error(f"`{key}`: there is no such date as {text}", key) from None
    return value, "day" if day else "month" if month else "year"


def _names(entry: _Entry, key: str) -> tuple[str, ...] | None:
    """Entity names, resolved against the dossier when the entries are applied."""
    value = entry.get(key)
    if value is None:
        return None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise entry.error(f"`{key}` must be a list of names", key)
    return tuple(dict.fromkeys(" ".join(v.split()) for v in values))


def _figures(entry: _Entry) -> tuple[Figure, ...] | None:
    value = entry.get("figures")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise entry.error(f"`figures` must be a mapping of {', '.join(FIGURE_KINDS)}", "figures")
    figures = [_figure(entry, kind, amount) for kind, amount in value.items()]
    return tuple(sorted(figures, key=lambda f: FIGURE_KINDS.index(f.kind)))


def _figure(entry: _Entry, kind: object, amount: object) -> Figure:
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


def _sources(entry: _Entry) -> tuple[CuratedSource, ...] | None:
    """`sources: [a.txt, {article: b.txt, quote: "..."}]`; one source may be given alone."""
    value = entry.get("sources")
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    sources = [_source(entry, item) for item in values]
    if not sources:
        raise entry.error("`sources` is empty", "sources")
    return tuple(sources)


def _source(entry: _Entry, item: object) -> CuratedSource:
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


def _slug(entry: _Entry, value: object, key: str | None = None) -> str:
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


def _merge(entry: _Entry) -> Merge:
    if not isinstance(entry.value, list) or len(entry.value) < 2:
        raise entry.error("a merge is a list of two or more event addresses")
    slugs = tuple(_slug(entry, item) for item in entry.value)
    if len(set(slugs)) != len(slugs):
        raise entry.error("a merge lists the same event twice")
    return Merge(slugs, entry.line)


def _rejection(entry: _Entry) -> Rejection:
    return Rejection(_slug(entry, entry.value), entry.line)


def _check_consistent(corrections: EventCorrections, path: Path) -> None:
    """An event is rejected, merged once, corrected once: anything else contradicts itself."""
    rejected = {r.slug: r.line for r in corrections.rejected}
    lead: dict[str, tuple[str, int]] = {}  # slug -> (first slug of its merge, line)
    for merge in corrections.merged:
        for slug in merge.slugs:
            if slug in rejected:
                raise CorrectionsError(
                    f"{path}:{merge.line}: {slug!r} is rejected (line {rejected[slug]}) "
                    "and merged here"
                )
            if slug in lead:
                raise CorrectionsError(
                    f"{path}:{merge.line}: {slug!r} is already merged (line {lead[slug][1]})"
                )
            lead[slug] = (merge.slugs[0], merge.line)
    corrected: dict[str, int] = {}
    for correction in corrections.corrected:
        slug = correction.slug or ""
        if slug in rejected:
            raise CorrectionsError(
                f"{path}:{correction.line}: {slug!r} is rejected (line {rejected[slug]}) "
                "and corrected here"
            )
        target = lead.get(slug, (slug, 0))[0]
        if target in corrected:
            raise CorrectionsError(
                f"{path}:{correction.line}: this event is already corrected "
                f"(line {corrected[target]}); give all its fields in one entry"
            )
        corrected[target] = correction.line
