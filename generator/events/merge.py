"""Merging accounts into events, never averaging them.

Accounts (what one sentence of one article says happened) merge first within their
article, when they have the same type, compatible dates and overlapping places (or one
side has none, or they share a person); then the article-level groups merge across
articles, when they have the same type, compatible dates and overlapping places, or the
same day. An undated group joins another only when exactly one is compatible. Each
account is kept in the event: conflicting dates and figures stay listed side by side
(`to_event`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from generator.events.lexicon import EventLexicon
from generator.events.naming import event_title
from generator.records import _PRECISION_RANK, Account, DateMention, Entity, Event, entity_key
from generator.text import fold

DateSpan = tuple[dt.date, dt.date]  # first and last day
_IndexKey = tuple[str, str, str | dt.date]  # ("place", type, place key) or ("day", type, day)


def _span_of(dates: Iterable[DateMention]) -> set[DateSpan]:
    spans: set[DateSpan] = set()
    for date in dates:
        if date.value is not None:
            spans.add(date_range(date.value, date.precision))
    return spans


def date_range(value: dt.date, precision: str) -> DateSpan:
    """The days a date of this precision covers (`2017`: 1 January to 31 December)."""
    if precision == "year":
        return dt.date(value.year, 1, 1), dt.date(value.year, 12, 31)
    if precision == "month":
        last = calendar.monthrange(value.year, value.month)[1]
        return value.replace(day=1), value.replace(day=last)
    return value, value


@dataclass
class AccountGroup:
    """Accounts of one event, with their date spans, days and place keys kept up to date
    (merging compares them millions of times on a large dossier)."""

    type: str
    accounts: list[Account]
    spans: set[DateSpan] = field(init=False)
    places: set[str] = field(init=False)
    people: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.accounts = list(self.accounts)
        self.spans = _span_of(a.date for a in self.accounts if a.date is not None)
        self.places = {entity_key(p) for a in self.accounts for p in a.places}
        self.people = {entity_key(p) for a in self.accounts for p in a.actors if p.type == "person"}

    @property
    def days(self) -> set[dt.date]:
        return {start for start, end in self.spans if start == end}

    @property
    def dated(self) -> bool:
        return bool(self.spans)

    def absorb(self, other: AccountGroup) -> None:
        self.accounts.extend(other.accounts)
        self.spans |= other.spans
        self.places |= other.places
        self.people |= other.people


def _dates_compatible(a: AccountGroup, b: AccountGroup) -> bool:
    """Every dated claim of one overlaps every dated claim of the other."""
    return all(sa[0] <= sb[1] and sb[0] <= sa[1] for sa in a.spans for sb in b.spans)


def _within_article(a: AccountGroup, b: AccountGroup) -> bool:
    """One article's accounts of one type are one event when their dates fit and their
    places overlap (or one side has none), or one person is in both: `Igor Mourachov a
    été arrêté vendredi par la Russie` and `la détention ... d'Igor Mourachov, directeur
    de la centrale`."""
    places_fit = not a.places or not b.places or bool(a.places & b.places)
    fits = places_fit or bool(a.people & b.people)
    return a.type == b.type and _dates_compatible(a, b) and fits


def _across_articles(a: AccountGroup, b: AccountGroup) -> bool:
    if a.type != b.type or not _dates_compatible(a, b):
        return False
    if a.places & b.places:
        return True
    same_day = bool(a.days & b.days)
    return same_day and (not a.places or not b.places)


class _AcrossIndex:
    """The merged groups by place and by day: the only ones that `_across_articles` can
    accept share one of them, so a group is compared with those, not with all."""

    def __init__(self) -> None:
        self.keys: defaultdict[_IndexKey, set[int]] = defaultdict(set)

    def add(self, position: int, group: AccountGroup) -> None:
        for key in self._keys(group):
            self.keys[key].add(position)

    def candidates(self, group: AccountGroup) -> list[int]:
        return sorted(set[int]().union(*(self.keys.get(key, ()) for key in self._keys(group))))

    @staticmethod
    def _keys(group: AccountGroup) -> list[_IndexKey]:
        return [
            *(("place", group.type, p) for p in group.places),
            *(("day", group.type, d) for d in group.days),
        ]


_Fits = Callable[[AccountGroup, AccountGroup], bool]  # may the second join the first?


def _merge(
    groups: list[AccountGroup], fits: _Fits, index: _AcrossIndex | None = None
) -> list[AccountGroup]:
    """Greedy merge, dated groups first; an undated group joins only an unambiguous match.

    `index`: compare a group only with the merged groups that share a place or a day
    (enough for `_across_articles`, and what keeps a large dossier linear)."""
    ordered = sorted(groups, key=lambda g: (not g.dated, min(g.spans, default=_NO_SPAN)))
    merged: list[AccountGroup] = []
    for group in ordered:
        positions: Sequence[int] = (
            index.candidates(group) if index is not None else range(len(merged))
        )
        matches = [i for i in positions if fits(merged[i], group)]
        if not group.dated and len(matches) > 1:
            matches = []
        if matches:
            position = max(matches, key=lambda i: len(merged[i].places & group.places))
            merged[position].absorb(group)
        else:
            position = len(merged)
            merged.append(AccountGroup(group.type, group.accounts))
        if index is not None:
            index.add(position, merged[position])
    return merged


_NO_SPAN = (dt.date.max, dt.date.max)


def merge_accounts(accounts: list[Account]) -> list[AccountGroup]:
    """The accounts grouped into events: within each article, then across articles."""
    by_article: dict[str, list[AccountGroup]] = {}
    for account in accounts:
        by_article.setdefault(account.article, []).append(AccountGroup(account.type, [account]))
    article_groups = [
        group
        for article in sorted(by_article)
        for group in _merge(by_article[article], _within_article)
    ]
    return _merge(article_groups, _across_articles, _AcrossIndex())


def merge_events(events: list[Event], lexicon: EventLexicon) -> Event:
    """Found events that are one (a curated `merge`): every account kept, the first
    event's type and address."""
    first = events[0]
    accounts = [account for event in events for account in event.accounts]
    merged = to_event(AccountGroup(first.type, accounts), lexicon)
    merged.slug = first.slug
    merged.merged_from = tuple(event.slug for event in events)
    return merged


def to_event(group: AccountGroup, lexicon: EventLexicon) -> Event:
    """The event of a group: from its earliest to its latest claimed day, at the finest
    precision claimed, with its places and actors by how many accounts name them."""
    accounts = sorted(group.accounts, key=lambda a: (a.article, a.paragraph))
    spans = sorted(group.spans)
    start: dt.date | None
    end: dt.date | None
    precisions = [a.date.precision for a in accounts if a.date and a.date.value]
    if spans:
        start, end = spans[0][0], max(s[1] for s in spans)
        precision = min(precisions, key=lambda p: _PRECISION_RANK[p])
        if start == end:
            precision = "day" if "day" in precisions else precision
    else:
        start = end = None
        precision = "unknown"
    places = _ordered_unique(p for a in accounts for p in a.places)
    actors = _ordered_unique(p for a in accounts for p in a.actors)
    event = Event(
        slug="",
        type=group.type,
        label=lexicon.label(group.type),
        date=start,
        end_date=end,
        precision=precision,
        places=places,
        actors=actors,
        accounts=accounts,
    )
    event.title = event_title(event)
    return event


def _ordered_unique(entities: Iterable[Entity]) -> list[Entity]:
    """Each entity once, the most named first (then by name)."""
    counts: dict[str, tuple[int, Entity]] = {}
    for entity in entities:
        count, _ = counts.get(entity_key(entity), (0, entity))
        counts[entity_key(entity)] = (count + 1, entity)
    ranked = sorted(counts.values(), key=lambda ce: (-ce[0], fold(ce[1].name)))
    return [entity for _, entity in ranked]
