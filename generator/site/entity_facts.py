"""Entity facts: what an entity page shows of its mentions, grouped and capped.

An entity named in hundreds of sentences would make a page of megabytes: the page shows
its facts grouped by event (the sentences of the event's accounts that name it), then
the other mentions by article, newest first, each group and the number of groups
capped, so that the page's size is bounded whatever the number of articles. Everything
capped is on the entity's "all mentions" page (`urls.entity_mentions_page`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from generator.records import Article, Dossier, Entity, Event, Mention
from generator.site.urls import Period

T = TypeVar("T")

EVENT_GROUPS = 4  # events with their quotes
MORE_EVENTS = 6  # events listed after them, one line each
ARTICLE_GROUPS = 5
QUOTES_PER_GROUP = 2
RELATED = 10
# From this many sentences, the "all mentions" page is split by year: the page of an
# entity named in thousands of articles would weigh megabytes, and adding one article
# would render all of it again (`urls.entity_mentions_period_page`); a year of this
# many sentences, by month.
MENTIONS_BY_YEAR_FROM = 100


@dataclass
class Group:
    """The mentions of an entity in one event or one article (one per sentence)."""

    mentions: list[Mention] = field(default_factory=list)
    event: Event | None = None
    article: Article | None = None

    @property
    def shown(self) -> list[Mention]:
        return self.mentions[:QUOTES_PER_GROUP]

    @property
    def hidden(self) -> int:
        return len(self.mentions) - len(self.shown)


@dataclass
class Facts:
    events: list[Group]  # newest first, capped
    more_events: list[Event]  # listed in a line each, capped
    hidden_events: int  # neither shown nor listed
    articles: list[Group]  # newest first, capped
    hidden_articles: int
    all_articles: list[Group]  # every article's group, for the "all mentions" page

    @property
    def capped(self) -> bool:
        groups = [*self.events, *self.articles]
        return bool(self.hidden_events or self.hidden_articles or any(g.hidden for g in groups))


@dataclass
class Part:
    """An entity's mentions in the articles of one period and its events of that period
    (`period` undated: the undated ones; or all of them, on a page not split), newest
    first."""

    period: Period
    groups: list[Group] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    mentions: int = 0  # of the entity, in these articles (every one, not one per sentence)


def split_by_year(facts: Facts) -> bool:
    return sum(len(group.mentions) for group in facts.all_articles) >= MENTIONS_BY_YEAR_FROM


def event_place_date(event: Event, dossier: Dossier) -> dt.date | None:
    """The date of an event, or of its first dated source when no source dates it (a
    list split by period places it there), or None."""
    if event.date is not None:
        return event.date
    dates = (dossier.article_by_slug[slug].date for slug in event.articles)
    return min((date for date in dates if date is not None), default=None)


def busy_years(weighed: Iterable[tuple[dt.date | None, int]], split_from: int) -> frozenset[int]:
    """The years whose items weigh `split_from` or more together: a page per month."""
    weights: dict[int, int] = {}
    for date, weight in weighed:
        if date is not None:
            weights[date.year] = weights.get(date.year, 0) + weight
    return frozenset(year for year, weight in weights.items() if weight >= split_from)


def period_of(date: dt.date | None, busy: frozenset[int]) -> Period:
    """The year of `date`, or its month in a busy year, or undated."""
    if date is None:
        return (None, None)
    return (date.year, date.month if date.year in busy else None)


def oldest_first(period: Period) -> tuple[bool, int, int]:
    """A sort key: the oldest period first, undated last."""
    year, month = period
    return (year is None, year or 0, month or 0)


def newest_first(period: Period) -> tuple[bool, int, int]:
    """A sort key: the newest period first, undated last."""
    year, month = period
    return (year is None, -(year or 0), -(month or 0))


def by_period(dossier: Dossier, entity: Entity, facts: Facts, events: list[Event]) -> list[Part]:
    """The groups of `facts.all_articles` and the `events` (both newest first) by year, a
    year of `MENTIONS_BY_YEAR_FROM` sentences or more by month, newest first, the undated
    ones last."""
    weighed = [(g.article.date, len(g.mentions)) for g in facts.all_articles if g.article]
    busy = busy_years(weighed, MENTIONS_BY_YEAR_FROM)
    parts: dict[Period, Part] = {}
    article_periods: dict[str, Period] = {}
    for group in facts.all_articles:
        assert group.article is not None
        period = article_periods[group.article.slug] = period_of(group.article.date, busy)
        parts.setdefault(period, Part(period)).groups.append(group)
    for event in events:
        period = period_of(event_place_date(event, dossier), busy)
        parts.setdefault(period, Part(period)).events.append(event)
    for mention in entity.mentions:
        parts[article_periods[mention.article]].mentions += 1
    return sorted(parts.values(), key=lambda part: newest_first(part.period))


def oldest_period_first(
    items: Iterable[T], date_of: Callable[[T], dt.date | None], split_from: int
) -> list[tuple[Period, list[T]]]:
    """`items` by year, a year of `split_from` items or more by month (in their order
    within a period), the oldest first, the undated items last: the pages of a long
    list."""
    dated = [(item, date_of(item)) for item in items]
    busy = busy_years(((date, 1) for _, date in dated), split_from)
    periods: dict[Period, list[T]] = {}
    for item, date in dated:
        periods.setdefault(period_of(date, busy), []).append(item)
    return sorted(periods.items(), key=lambda pair: oldest_first(pair[0]))


def entity_facts(dossier: Dossier, entity: Entity, by_sentence: SentenceEvents) -> Facts:
    """What the entity's pages show; `by_sentence` is `events_by_sentence` of the whole
    dossier, made once for all its entities (going through the sentences of every event
    of each big entity took 3.5 s of CPU when one article was added to 10,000)."""
    sentences = one_per_sentence(entity.mentions)
    events = newest_events(dossier.events_of(entity))
    by_event, rest = mentions_by_event(events, sentences, by_sentence)
    event_groups = [Group(by_event[e.slug], event=e) for e in events if e.slug in by_event]
    shown_events = event_groups[:EVENT_GROUPS]
    listed = [e for e in events if all(g.event is not e for g in shown_events)]
    articles = [Group(ms, article=a) for a, ms in by_article(dossier, rest)]
    return Facts(
        events=shown_events,
        more_events=listed[:MORE_EVENTS],
        hidden_events=max(0, len(listed) - MORE_EVENTS),
        articles=articles[:ARTICLE_GROUPS],
        hidden_articles=max(0, len(articles) - ARTICLE_GROUPS),
        all_articles=[Group(ms, article=a) for a, ms in by_article(dossier, sentences)],
    )


def one_per_sentence(mentions: tuple[Mention, ...]) -> list[Mention]:
    """The first mention of each sentence: a sentence that names it twice is one fact."""
    seen: dict[tuple[str, int, int], Mention] = {}
    for mention in mentions:
        seen.setdefault((mention.article, mention.paragraph, mention.sentence_start), mention)
    return list(seen.values())


def newest_events(events: list[Event]) -> list[Event]:
    """Dated events newest first, then the undated ones in their order."""
    dated = sorted((e for e in events if e.date), key=lambda e: e.date or dt.date.min, reverse=True)
    return [*dated, *(e for e in events if e.date is None)]  # a day's events in their order


SentenceEvents = dict[tuple[str, str], list[str]]


def events_by_sentence(events: Iterable[Event]) -> SentenceEvents:
    """The events one of whose accounts holds each sentence, by article and sentence."""
    tellers: SentenceEvents = {}
    for event in events:
        for account in event.accounts:
            for sentence in account.sentences:
                tellers.setdefault((account.article, sentence.strip()), []).append(event.slug)
    return tellers


def mentions_by_event(
    events: list[Event], mentions: list[Mention], by_sentence: SentenceEvents
) -> tuple[dict[str, list[Mention]], list[Mention]]:
    """Each mention in the first (newest) of `events` one of whose accounts holds its
    sentence; then the mentions in none of their accounts."""
    rank = {event.slug: index for index, event in enumerate(events)}
    by_event: dict[str, list[Mention]] = {}
    rest = []
    for mention in mentions:
        tellers = by_sentence.get((mention.article, mention.sentence.strip()), ())
        first = min((rank[slug] for slug in tellers if slug in rank), default=None)
        if first is None:
            rest.append(mention)
        else:
            by_event.setdefault(events[first].slug, []).append(mention)
    return by_event, rest


def by_article(dossier: Dossier, mentions: list[Mention]) -> list[tuple[Article, list[Mention]]]:
    """The mentions grouped by article, newest article first (undated last), each group
    in reading order."""
    grouped: dict[str, list[Mention]] = {}
    for mention in mentions:
        grouped.setdefault(mention.article, []).append(mention)
    articles = [dossier.article_by_slug[slug] for slug in grouped]
    articles.sort(key=lambda a: (a.date is None, -(a.date or dt.date.min).toordinal(), a.slug))
    return [(a, sorted(grouped[a.slug], key=lambda m: (m.paragraph, m.start))) for a in articles]
