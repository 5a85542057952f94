"""Model: the dossier as the pages see it, with the cross-references computed once.

`build_dossier` takes the ingested articles and resolved entities and derives what the
pages need: each article's mentions with their entity, each entity's sources and dates,
and the entities that appear with it in the same paragraph.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from generator.records import (
    Article,
    Dossier,
    Entity,
    Event,
    LinkedMention,
    Problem,
    Related,
    SharedSentence,
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
    return dossier


def co_occurrences(
    entities: list[Entity], limit: int = 12, sentences: int = 3
) -> dict[str, list[Related]]:
    """For each entity, the others that share paragraphs with it, most shared first,
    with (up to `sentences` of) the sentences that name both."""
    in_paragraph: defaultdict[tuple[str, int], set[int]] = defaultdict(set)
    in_sentence: defaultdict[tuple[str, int, int], set[int]] = defaultdict(set)
    text_of: dict[tuple[str, int, int], str] = {}
    for index, entity in enumerate(entities):
        for mention in entity.mentions:
            in_paragraph[mention.article, mention.paragraph].add(index)
            key = (mention.article, mention.paragraph, mention.sentence_start)
            in_sentence[key].add(index)
            text_of[key] = mention.sentence
    shared: defaultdict[tuple[int, int], list[SharedSentence]] = defaultdict(list)
    for key in sorted(in_sentence):
        for a in in_sentence[key]:
            for b in in_sentence[key]:
                if a != b:
                    shared[a, b].append(SharedSentence(key[0], key[1], text_of[key]))
    counts: defaultdict[int, Counter[int]] = defaultdict(Counter)
    for members in in_paragraph.values():
        for a in members:
            for b in members:
                if a != b:
                    counts[a][b] += 1
    related = {}
    for index, entity in enumerate(entities):
        ranked = sorted(counts[index].items(), key=lambda kv: (-kv[1], entities[kv[0]].name))
        related[entity_page(entity)] = [
            Related(entities[i], n, tuple(shared[index, i][:sentences])) for i, n in ranked[:limit]
        ]
    return related
