"""The event part of the corrections file, its `events` section: events added by hand,
found events corrected, merged or rejected. Read and checked here (the fields of an
entry in event_fields.py); applied to the found events by events/curated.py."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from generator.corrections.event_fields import (
    CuratedDate,
    CuratedSource,
    Entry,
    date_field,
    event_address,
    figures_field,
    kind_field,
    known_kinds,
    names_field,
    sources_field,
    text_field,
)
from generator.corrections.yaml_file import CorrectionsError, child_node, key_lines, node_line
from generator.events.lexicon import EventLexicon, load_event_lexicon
from generator.records import Figure

KINDS_OF_ENTRY = ("add", "correct", "merge", "reject")
FIELDS = ("title", "kind", "date", "places", "actors", "figures", "description", "sources")
ADD_KEYS = {*FIELDS, "end"}
CORRECT_KEYS = {*ADD_KEYS, "event"}
_A = {"place": "a place", "organisation": "an organisation", "person": "a person"}


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
    """The `events` section; `path` is the corrections file's, when there is one."""

    added: tuple[CuratedEvent, ...] = ()
    corrected: tuple[CuratedEvent, ...] = ()
    merged: tuple[Merge, ...] = ()
    rejected: tuple[Rejection, ...] = ()
    path: str | None = None


def event_section(
    data: dict[str, Any], root: yaml.Node | None, path: Path, lexicon: EventLexicon | None = None
) -> EventCorrections:
    """Check the `events` section of the file's data; no section means no corrections."""
    section = data.get("events")
    if section is None:
        return EventCorrections(path=str(path))
    node = child_node(root, "events")
    where = Entry(section, path, node_line(node, 1), key_lines(node))
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


def _entries(section: dict[str, Any], node: yaml.Node | None, key: str, path: Path) -> list[Entry]:
    values = section.get(key) or []
    line = key_lines(node).get(key, node_line(node, 1))
    if not isinstance(values, list):
        raise CorrectionsError(f"{path}:{line}: `events.{key}` must be a list")
    child = child_node(node, key)
    items: list[yaml.Node | None] = (
        list(child.value) if isinstance(child, yaml.SequenceNode) else []
    )
    items += [None] * (len(values) - len(items))
    return [
        Entry(value, path, node_line(item, line), key_lines(item))
        for value, item in zip(values, items, strict=False)
    ]


def _added(entry: Entry, lexicon: EventLexicon) -> CuratedEvent:
    _check_keys(entry, ADD_KEYS, "an added event")
    event = _fields(entry, lexicon)
    if event.kind is None:
        raise entry.error(f"an added event needs its `kind` ({known_kinds(lexicon)})")
    if not event.sources:
        raise entry.error("an added event needs its `sources` (the articles that tell of it)")
    return event


def _corrected(entry: Entry, lexicon: EventLexicon) -> CuratedEvent:
    keys = _check_keys(entry, CORRECT_KEYS, "a correction")
    if entry.get("event") is None:
        raise entry.error("a correction needs the `event` it corrects (its address)")
    if not set(keys) - {"event"}:
        raise entry.error(f"nothing to correct: give one of {', '.join(FIELDS)}")
    return replace(_fields(entry, lexicon), slug=event_address(entry, entry.get("event"), "event"))


def _check_keys(entry: Entry, allowed: set[str], what: str) -> dict[Any, Any]:
    """The entry's mapping, whose keys are all allowed."""
    if not isinstance(entry.value, dict):
        raise entry.error(f"{what} is a mapping of its fields ({', '.join(FIELDS)})")
    unknown = sorted(str(k) for k in entry.value if k not in allowed)
    if unknown:
        raise entry.error(
            f"unknown key(s) {', '.join(unknown)} (use {', '.join(sorted(allowed))})", unknown[0]
        )
    return entry.value


def _fields(entry: Entry, lexicon: EventLexicon) -> CuratedEvent:
    return CuratedEvent(
        title=text_field(entry, "title"),
        kind=kind_field(entry, lexicon),
        date=date_field(entry),
        places=names_field(entry, "places"),
        actors=names_field(entry, "actors"),
        figures=figures_field(entry),
        description=text_field(entry, "description"),
        sources=sources_field(entry),
        line=entry.line,
        key_lines=entry.key_lines,
    )


def _merge(entry: Entry) -> Merge:
    if not isinstance(entry.value, list) or len(entry.value) < 2:
        raise entry.error("a merge is a list of two or more event addresses")
    slugs = tuple(event_address(entry, item) for item in entry.value)
    if len(set(slugs)) != len(slugs):
        raise entry.error("a merge lists the same event twice")
    return Merge(slugs, entry.line)


def _rejection(entry: Entry) -> Rejection:
    return Rejection(event_address(entry, entry.value), entry.line)


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
