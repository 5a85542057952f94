"""Curated events: the `events:` section of the corrections file, which always wins.

Written by people, never by the generator (format: docs/pages/corrections.md). Four kinds of
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

from dataclasses import replace

from generator.corrections import CorrectionsError
from generator.corrections.event_fields import CuratedSource
from generator.corrections.events import _A, FIELDS, CuratedEvent, EventCorrections
from generator.events.lexicon import ACTOR_TYPES, EventLexicon, load_event_lexicon
from generator.events.merge import merge_events
from generator.events.naming import event_slug_base, event_title, sort_key
from generator.records import Account, Article, Entity, Event
from generator.text import fold, make_slug


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
        slug = make_slug(address.rsplit(".", 1)[0].replace("/", "-")) if address else ""
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
    date = entry.date
    places = entry.places is not None
    actors = entry.actors is not None
    corrected = replace(
        event,
        type=kind,
        label=lexicon.label(kind),
        date=date.value if date is not None else event.date,
        end_date=date.end if date is not None else event.end_date,
        precision=date.precision if date is not None else event.precision,
        places=refs.entities(entry, "places", ("place",)) if places else event.places,
        actors=refs.entities(entry, "actors", ACTOR_TYPES) if actors else event.actors,
        figures=entry.figures if entry.figures is not None else event.figures,
        description=entry.description if entry.description is not None else event.description,
        accounts=[*event.accounts, *refs.accounts(entry, kind)],
        corrected=tuple(f for f in FIELDS if getattr(entry, f) is not None),
    )
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
