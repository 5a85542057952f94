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
import copy
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice

from generator.events.lexicon import EventLexicon
from generator.events.naming import event_title
from generator.records import _PRECISION_RANK, Account, DateMention, Entity, Event, entity_key
from generator.text import fold

DateSpan = tuple[dt.date, dt.date]  # first and last day
_IndexKey = tuple[str, str, str | dt.date, int]  # ("place", type, place key, month), ("day", …)


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
    (merging compares them millions of times on a large dossier), and the latest first
    day and earliest last day of the spans: every span of one group overlaps every span
    of another exactly when each group's latest first day is at most the other's
    earliest last day."""

    type: str
    accounts: list[Account]
    spans: set[DateSpan] = field(init=False)
    places: set[str] = field(init=False)
    people: set[str] = field(init=False)
    days: set[dt.date] = field(init=False)  # of the spans of one day
    latest_start: dt.date = field(init=False)
    earliest_end: dt.date = field(init=False)

    def __post_init__(self) -> None:
        self.accounts = list(self.accounts)
        self.spans = _span_of(date for a in self.accounts if (date := a.date) is not None)
        self.places = {entity_key(p) for a in self.accounts for p in a.places}
        self.people = {entity_key(p) for a in self.accounts for p in a.actors if p.type == "person"}
        self.days = {start for start, end in self.spans if start == end}
        self.latest_start = max((start for start, _ in self.spans), default=dt.date.min)
        self.earliest_end = min((end for _, end in self.spans), default=dt.date.max)

    @property
    def dated(self) -> bool:
        return bool(self.spans)

    def copy(self) -> AccountGroup:
        """The same group, to absorb others without changing this one."""
        copied = copy.copy(self)
        copied.accounts = list(self.accounts)
        copied.spans, copied.places = set(self.spans), set(self.places)
        copied.people, copied.days = set(self.people), set(self.days)
        return copied

    def absorb(self, other: AccountGroup) -> None:
        self.accounts.extend(other.accounts)
        self.spans |= other.spans
        self.places |= other.places
        self.people |= other.people
        self.days |= other.days
        self.latest_start = max(self.latest_start, other.latest_start)
        self.earliest_end = min(self.earliest_end, other.earliest_end)


def _dates_compatible(a: AccountGroup, b: AccountGroup) -> bool:
    """Every dated claim of one overlaps every dated claim of the other."""
    return a.latest_start <= b.earliest_end and b.latest_start <= a.earliest_end


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
    """The merged groups by place and month, and by day: the only ones that
    `_across_articles` can accept share a day, or a place and a month that both groups'
    dates allow (see `_months`), so a group is compared with those, not with all the
    groups of its place (thousands for the country of a story)."""

    def __init__(self) -> None:
        self.keys: defaultdict[_IndexKey, set[int]] = defaultdict(set)

    def add(self, position: int, group: AccountGroup) -> None:
        months = _months(group)
        for place in group.places:
            self.keys["place", group.type, place, _ANY_MONTH].add(position)
            for month in months or [_MANY_MONTHS]:
                self.keys["place", group.type, place, month].add(position)
        for day in group.days:
            self.keys["day", group.type, day, _ANY_MONTH].add(position)

    def candidates(self, group: AccountGroup) -> Iterable[int]:
        """In merged order for a dated group; each once, in no set order, for an undated
        one (it takes a single match only, wherever it is)."""
        months = _months(group)
        keys: list[_IndexKey] = [("day", group.type, day, _ANY_MONTH) for day in group.days]
        for place in group.places:
            if months is None:  # undated, or over years: any group of the place
                keys.append(("place", group.type, place, _ANY_MONTH))
            else:
                keys += [("place", group.type, place, m) for m in [*months, _MANY_MONTHS]]
        found = (self.keys.get(key, set[int]()) for key in keys)
        return sorted(set[int]().union(*found)) if group.dated else _each_once(chain(*found))


def _each_once(positions: Iterable[int]) -> Iterator[int]:
    seen: set[int] = set()
    for position in positions:
        if position not in seen:
            seen.add(position)
            yield position


_ANY_MONTH = -1
_MANY_MONTHS = -2
_MOST_MONTHS = 24  # a group whose dates allow more is kept under _MANY_MONTHS


def _months(group: AccountGroup) -> list[int] | None:
    """The months (as year * 12 + month) that the days compatible with the group's dates
    fall in: from the earlier to the later of its latest first day and earliest last
    day (a group compatible with this one has a day between them). None when the group
    is undated or they are more than `_MOST_MONTHS` apart."""
    if not group.dated:
        return None
    low = min(group.latest_start, group.earliest_end)
    high = max(group.latest_start, group.earliest_end)
    first, last = low.year * 12 + low.month - 1, high.year * 12 + high.month - 1
    return list(range(first, last + 1)) if last - first < _MOST_MONTHS else None


_Fits = Callable[[AccountGroup, AccountGroup], bool]  # may the second join the first?


def _merge(
    groups: list[AccountGroup], fits: _Fits, index: _AcrossIndex | None = None
) -> list[AccountGroup]:
    """Greedy merge, dated groups first; an undated group joins only an unambiguous match
    (so its search stops at the second).

    `index`: compare a group only with the merged groups that share a place or a day
    (enough for `_across_articles`, and what keeps a large dossier linear)."""
    ordered = sorted(groups, key=lambda g: (not g.dated, min(g.spans, default=_NO_SPAN)))
    merged: list[AccountGroup] = []
    for group in ordered:
        positions: Iterable[int] = (
            index.candidates(group) if index is not None else range(len(merged))
        )
        found = (i for i in positions if fits(merged[i], group))
        matches = list(found) if group.dated else list(islice(found, 2))
        if not group.dated and len(matches) > 1:
            matches = []
        if matches:
            position = max(matches, key=lambda i: len(merged[i].places & group.places))
            merged[position].absorb(group)
        else:
            position = len(merged)
            merged.append(group.copy())
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
