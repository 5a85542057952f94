"""How an event is named, addressed and ordered: its title, its slug, its timeline key.

Used for found events (`find_events`) and curated ones alike (`curated.py`), so that both
read and sort the same way.
"""

from __future__ import annotations

import datetime as dt

from generator.records import Event, date_label
from generator.text import fold, make_slug

# undated last, then by start, end, title and address
EventSortKey = tuple[bool, dt.date, dt.date, str, str]


def event_title(event: Event) -> str:
    where = ", ".join(p.name for p in event.places[:3])
    title = f"{event.label} — {where}" if where else event.label
    if event.date is not None:
        title += f" ({date_label(event.date, event.precision)})"
    return title


def sort_key(event: Event) -> EventSortKey:
    return (
        event.date is None,
        event.date or dt.date.min,
        event.end_date or dt.date.min,
        fold(event.title),
        event.slug,
    )


def assign_event_slugs(events: list[Event]) -> None:
    """Addresses from what was found (date, type, first places), `-2`... in timeline order.
    Curated corrections refer to these and never change them (see curated.py)."""
    used: dict[str, int] = {}
    for event in events:
        where = " ".join(p.name for p in event.places[:2])
        base = event_slug_base(event, f"{event.label} {where}")
        used[base] = used.get(base, 0) + 1
        event.slug = base if used[base] == 1 else f"{base}-{used[base]}"


def event_slug_base(event: Event, words: str) -> str:
    when = event.date.isoformat() if event.date else "sans-date"
    return make_slug(f"{when} {words}", max_length=80, word_boundary=True)
