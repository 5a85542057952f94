"""Model: the dossier as the pages see it, with the cross-references computed once.

`build_dossier` takes the ingested articles and resolved entities and derives what the
pages need: each article's mentions with their entity, each entity's sources and dates,
and the entities that appear with it in the same paragraph.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from itertools import combinations

from generator.records import (
    Account,
    Article,
    Claim,
    Conflict,
    Dossier,
    Entity,
    Event,
    LinkedMention,
    Problem,
    Related,
    SharedSentence,
    Version,
    account_claim,
    entity_key,
)
from generator.site.urls import entity_page


def index_events(events: list[Event]) -> dict[str, list[Event]]:
    """Each entity's events (as place or actor), in the order of `events`."""
    index: defaultdict[str, list[Event]] = defaultdict(list)
    for event in events:
        for key in dict.fromkeys(entity_key(e) for e in [*event.places, *event.actors]):
            index[key].append(event)
    return dict(index)


def build_dossier(
    articles: list[Article],
    entities: list[Entity],
    problems: list[Problem] | None = None,
    events: list[Event] | None = None,
    notes: list[str] | None = None,
) -> Dossier:
    dossier = Dossier(articles=articles, entities=entities, problems=list(problems or []))
    dossier.events = list(events or [])
    dossier.events_by_entity = index_events(dossier.events)
    dossier.notes = list(notes or [])
    dossier.article_by_slug = {a.slug: a for a in articles}
    by_article: defaultdict[str, list[LinkedMention]] = defaultdict(list)
    for entity in entities:
        for mention in entity.mentions:
            by_article[mention.article].append(LinkedMention(mention, entity))
    dossier.mentions_by_article = {
        slug: sorted(items, key=lambda lm: (lm.mention.paragraph, lm.mention.start))
        for slug, items in by_article.items()
    }
    dossier.related = co_occurrences(entities)
    dossier.conflicts = {e.slug: c for e in dossier.events if (c := event_conflicts(e))}
    return dossier


# --- conflicts: where the sources of an event disagree ------------------------------------


def event_conflicts(event: Event) -> list[Conflict]:
    """The date, places and figures on which an event's accounts disagree, each with every
    version and the claims behind it (the most given first), none picked."""
    found = []
    disputed = event.conflicts()
    if "date" in disputed:
        dates = [c for c in event.date_claims() if c.value != "date inconnue"]
        found.append(Conflict("date", ranked_versions([(c.value, c) for c in dates])))
    places = place_versions(event)
    if places:
        found.append(Conflict("place", places))
    amounts = {f.shown: f.value for account in event.accounts for f in account.figures}
    for kind, claims in event.figure_claims().items():
        if kind in disputed:
            found.append(Conflict(kind, ranked_versions([(c.value, c) for c in claims], amounts)))
    return found


def ranked_versions(
    claims: list[tuple[str, Claim]],
    amounts: dict[str, int] | None = None,
    places: dict[str, tuple[Entity, ...]] | None = None,
) -> tuple[Version, ...]:
    """Claims grouped by value; the values given by the most articles first, then in the
    order of the accounts."""
    grouped: dict[str, list[Claim]] = {}
    for value, claim in claims:
        grouped.setdefault(value, []).append(claim)
    order = sorted(grouped, key=lambda v: -len({c.article for c in grouped[v]}))  # stable
    return tuple(
        Version(v, tuple(grouped[v]), (amounts or {}).get(v), (places or {}).get(v, ()))
        for v in order
    )


def place_versions(event: Event) -> tuple[Version, ...]:
    """The places each article names, when two articles name places that have nothing in
    common, not even their country (`Bagdad` and `Irak` agree; `Bagdad` and `Mossoul`
    said of the same day's attack by two articles do not); else none."""
    located = [a for a in event.accounts if a.places]
    if not any(
        a.article != b.article and not (regions(a) & regions(b))
        for i, a in enumerate(located)
        for b in located[i + 1 :]
    ):
        return ()
    claims, places = [], {}
    for accounts in grouped_by_article(located).values():
        named = list({entity_key(p): p for a in accounts for p in a.places}.values())
        value = ", ".join(p.name for p in named)
        wording = " ".join(s for a in accounts for s in a.sentences)
        claims.append((value, account_claim(accounts[0], value, wording)))
        places[value] = tuple(named)
    return ranked_versions(claims, places=places)


def grouped_by_article(accounts: list[Account]) -> dict[str, list[Account]]:
    grouped: dict[str, list[Account]] = {}
    for account in accounts:
        grouped.setdefault(account.article, []).append(account)
    return grouped


def regions(account: Account) -> set[str]:
    """The places of an account and their countries: what another account may share."""
    return {entity_key(p) for p in account.places} | {
        p.country for p in account.places if p.country
    }


def co_occurrences(
    entities: list[Entity], limit: int = 12, sentences: int = 3
) -> dict[str, list[Related]]:
    """For each entity, the others that share paragraphs with it, most shared first (then
    by name, then in the order of `entities`), with (up to `sentences` of) the sentences
    that name both. Pairs are counted once each way round (a < b), by `Counter`: at
    10,000 articles there are millions of them."""
    in_paragraph: defaultdict[tuple[str, int], set[int]] = defaultdict(set)
    in_sentence: defaultdict[tuple[str, int, int], set[int]] = defaultdict(set)
    text_of: dict[tuple[str, int, int], str] = {}
    for index, entity in enumerate(entities):
        for mention in entity.mentions:
            in_paragraph[mention.article, mention.paragraph].add(index)
            key = (mention.article, mention.paragraph, mention.sentence_start)
            in_sentence[key].add(index)
            text_of[key] = mention.sentence
    shared: dict[tuple[int, int], list[SharedSentence]] = {}
    for key in sorted(in_sentence):
        members = in_sentence[key]
        if len(members) < 2:
            continue
        sentence = SharedSentence(key[0], key[1], text_of[key])
        for pair in combinations(sorted(members), 2):
            # the first `sentences` only are kept: the sentences of two entities named
            # together in thousands of articles are not all made
            found = shared.setdefault(pair, [])
            if len(found) < sentences:
                found.append(sentence)
    counts: Counter[tuple[int, int]] = Counter()
    for members in in_paragraph.values():
        if len(members) > 1:
            counts.update(combinations(sorted(members), 2))
    neighbours: defaultdict[int, list[tuple[int, int]]] = defaultdict(list)
    for (a, b), n in counts.items():
        neighbours[a].append((b, n))
        neighbours[b].append((a, n))
    related = {}
    for index, entity in enumerate(entities):
        ranked = heapq.nsmallest(
            limit, neighbours[index], key=lambda item: (-item[1], entities[item[0]].name, item[0])
        )
        related[entity_page(entity)] = [
            Related(entities[i], n, tuple(shared.get((min(index, i), max(index, i)), ())))
            for i, n in ranked
        ]
    return related
