"""Curated events: the `events:` section of the corrections file, which always wins.

Written by people, never by the generator (format: README, "Corrections"). Four kinds of
entries, applied in this order to the events found in the articles:

1. `reject`: found events that are not events, by their address (`/events/<slug>/`);
2. `merge`: found events that are one event; the result keeps every account and the
   address of the first one listed (a `correct` may name any of them);
3. `correct`: a found event's title, kind, date, places, actors, figures or description
   overridden, or sources added; what the sources claim stays listed as claims, but the
   headline value is the curated one;
4. `add`: an event the machine missed, with its sources (an article, and optionally a
   quote that must be in it).

They apply after the found events have their addresses, so that an address never depends
on the corrections. A malformed entry is an error naming the file and line as soon as the
file is read (before extraction); a name, an article or a quote that the dossier does not
have is an error when the entries are applied. An address that no found event has is a
note of the build report, not an error: addresses change when the articles do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from slugify import slugify

from generator.events import (
    ACTOR_TYPES,
    FIGURE_KINDS,
    Account,
    Event,
    EventLexicon,
    Figure,
    date_range,
    event_slug_base,
    event_title,
    load_event_lexicon,
    merge_events,
    sort_key,
)
from generator.ingest import Article
from generator.resolve import CorrectionsError, Entity, read_corrections_file
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


# --- what the file says ------------------------------------------------------------------


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


# --- reading and checking the file -----------------------------------------------------


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


# --- applying them ----------------------------------------------------------------------


class _References:
    """The entities and articles that curated entries name, looked up by name or file."""

    def __init__(self, entities: list[Entity], articles: list[Article], path: str) -> None:
        self.path = path
        self.articles = articles
        self.by_key: dict[str, list[Entity]] = {}
        for entity in entities:
            names = {entity.name, *entity.aliases, *entity.also_known_as}
            for key in sorted({fold(n) for n in names}):
                self.by_key.setdefault(key, []).append(entity)

    def error(self, entry: CuratedEvent, key: str, message: str) -> CorrectionsError:
        return CorrectionsError(f"{self.path}:{entry.key_lines.get(key, entry.line)}: {message}")

    def entities(self, entry: CuratedEvent, key: str, types: tuple[str, ...]) -> list[Entity]:
        names: tuple[str, ...] = getattr(entry, key) or ()
        return [self.entity(entry, key, name, types) for name in names]

    def entity(self, entry: CuratedEvent, key: str, name: str, types: tuple[str, ...]) -> Entity:
        """The one entity of these types with this name (exactly, else folded) or alias."""
        found = self.by_key.get(fold(name), [])
        fitting = [e for e in found if e.type in types]
        exact = [e for e in fitting if e.name == name]
        if len(exact) == 1 or len(fitting) == 1:
            return (exact or fitting)[0]
        wanted = " or ".join(_A[t] for t in types)
        if fitting:
            pages = ", ".join(f"{e.name!r} ({e.type})" for e in fitting)
            raise self.error(entry, key, f"{name!r} names several entities: {pages}")
        if found:
            raise self.error(entry, key, f"{name!r} is {_A[found[0].type]}, not {wanted}")
        raise self.error(
            entry,
            key,
            f"{name!r} is not an entity of the dossier (`{key}` takes {wanted} by its name "
            "or alias; a name the articles hold but the dossier missed can be given in "
            "`entities`)",
        )

    def accounts(self, entry: CuratedEvent, kind: str) -> list[Account]:
        return [self.account(entry, source, kind) for source in entry.sources or ()]

    def account(self, entry: CuratedEvent, source: CuratedSource, kind: str) -> Account:
        article = self.article(entry, source.article)
        paragraph, sentences = 0, []
        if source.quote is not None:
            paragraph = self.quoted_paragraph(entry, article, source.quote)
            sentences = [source.quote]
        return Account(article.slug, paragraph, sentences, [], type=kind, curated=True)

    def article(self, entry: CuratedEvent, name: str) -> Article:
        """An article by its file name, or by its address (`sources/<slug>/`)."""
        address = name.strip("/").removeprefix("sources/").strip("/")
        slug = slugify(address.rsplit(".", 1)[0].replace("/", "-")) if address else ""
        by_file = [a for a in self.articles if name in (a.filename, *a.aliases)]
        by_slug = [a for a in self.articles if a.slug in (address, slug)]
        found = by_file if len(by_file) == 1 else by_slug
        if len(found) != 1:
            raise self.error(
                entry,
                "sources",
                f"no article {name!r} in the articles folder (give its file name, or its "
                "address sources/<slug>/ when two files share a name)",
            )
        return found[0]

    def quoted_paragraph(self, entry: CuratedEvent, article: Article, quote: str) -> int:
        words = f" {fold(quote)} "
        for index, paragraph in enumerate(article.paragraphs):
            if words in f" {fold(paragraph)} ":
                return index
        raise self.error(
            entry, "sources", f"the quote {quote!r} is not in {article.filename} (copy it exactly)"
        )


def apply_event_corrections(
    events: list[Event],
    corrections: EventCorrections,
    entities: list[Entity],
    articles: list[Article],
    lexicon: EventLexicon | None = None,
) -> tuple[list[Event], list[str]]:
    """The found events with the curated ones applied, in timeline order, and the notes
    for entries whose event was not found (its address changed with the articles)."""
    lexicon = lexicon or load_event_lexicon()
    refs = _References(entities, articles, corrections.path or "corrections")
    notes: list[str] = []
    by_slug = {event.slug: event for event in events}
    for rejection in corrections.rejected:
        if by_slug.pop(rejection.slug, None) is None:
            notes.append(_unused(corrections, rejection.line, rejection.slug))
    lead = _merge_found(by_slug, corrections, lexicon, notes)
    for correction in corrections.corrected:
        slug = lead.get(correction.slug or "", correction.slug or "")
        if slug not in by_slug:
            notes.append(_unused(corrections, correction.line, correction.slug or ""))
            continue
        by_slug[slug] = _corrected_event(by_slug[slug], correction, refs, lexicon)
    for addition in corrections.added:
        event = _added_event(addition, refs, lexicon)
        event.slug = _free_slug(event.slug, by_slug, corrections, addition, notes)
        by_slug[event.slug] = event
    return sorted(by_slug.values(), key=sort_key), notes


def _unused(corrections: EventCorrections, line: int, slug: str) -> str:
    return (
        f"{corrections.path}:{line}: no event has the address {slug!r} (the articles "
        "changed?): this correction is not used"
    )


def _merge_found(
    by_slug: dict[str, Event],
    corrections: EventCorrections,
    lexicon: EventLexicon,
    notes: list[str],
) -> dict[str, str]:
    """Merge the groups in place; return each listed address -> the merged event's."""
    lead: dict[str, str] = {}
    for merge in corrections.merged:
        found = [slug for slug in merge.slugs if slug in by_slug]
        notes.extend(_unused(corrections, merge.line, s) for s in merge.slugs if s not in found)
        if len(found) > 1:
            merged = merge_events([by_slug.pop(slug) for slug in found], lexicon)
            by_slug[merged.slug] = merged
        for slug in merge.slugs:
            lead[slug] = found[0] if found else slug
    return lead


def _corrected_event(
    event: Event, entry: CuratedEvent, refs: _References, lexicon: EventLexicon
) -> Event:
    """A found event with the fields the entry gives; its address does not change."""
    kind = entry.kind or event.type
    changes: dict[str, object] = {"type": kind, "label": lexicon.label(kind)}
    if entry.date is not None:
        changes.update(date=entry.date.value, end_date=entry.date.end)
        changes["precision"] = entry.date.precision
    if entry.places is not None:
        changes["places"] = refs.entities(entry, "places", ("place",))
    if entry.actors is not None:
        changes["actors"] = refs.entities(entry, "actors", ACTOR_TYPES)
    if entry.figures is not None:
        changes["figures"] = entry.figures
    if entry.description is not None:
        changes["description"] = entry.description
    changes["accounts"] = [*event.accounts, *refs.accounts(entry, kind)]
    fields = tuple(f for f in FIELDS if getattr(entry, f) is not None)
    corrected = replace(event, **changes, corrected=fields)  # type: ignore[arg-type]
    corrected.title = entry.title or event_title(corrected)
    return corrected


def _added_event(entry: CuratedEvent, refs: _References, lexicon: EventLexicon) -> Event:
    """An event the machine missed, as the entry gives it; the address is made from its
    date and title (or type and places)."""
    kind = entry.kind or ""
    date = entry.date
    event = Event(
        slug="",
        type=kind,
        label=lexicon.label(kind),
        date=date.value if date else None,
        end_date=date.end if date else None,
        precision=date.precision if date else "unknown",
        places=refs.entities(entry, "places", ("place",)),
        actors=refs.entities(entry, "actors", ACTOR_TYPES),
        accounts=refs.accounts(entry, kind),
        origin="curated",
        description=entry.description,
        figures=entry.figures or (),
    )
    event.title = entry.title or event_title(event)
    where = " ".join(p.name for p in event.places[:2])
    event.slug = event_slug_base(event, entry.title or f"{event.label} {where}")
    return event


def _free_slug(
    slug: str,
    taken: dict[str, Event],
    corrections: EventCorrections,
    entry: CuratedEvent,
    notes: list[str],
) -> str:
    """Found events keep their addresses (corrections refer to them): an added event whose
    address is taken gets `-2`, `-3`..., and a note, since it may be the same event."""
    if slug not in taken:
        return slug
    count = 2
    while f"{slug}-{count}" in taken:
        count += 1
    notes.append(
        f"{corrections.path}:{entry.line}: the address {slug!r} is already an event's: the "
        f"added event is at {slug}-{count} (if both are one event, correct the found one)"
    )
    return f"{slug}-{count}"
