"""Events: what happened, when, where, who, and who says so.

Runs after resolution (it needs the resolved entities) and before the model. The steps
live in their own modules: `lexicon` (data/events.yml), `parsing` (what to parse, and
reading the parse), `finder` (1 and 2), `merge` (3), `naming` (titles, addresses, order):

1. candidates: a sentence holding a trigger of `data/events.yml` (`frappe aérienne`,
   `attentat`, `assaut`...) is an event candidate. Its entities, dates and figures are
   those of the same sentence; where a sentence holds triggers of several types, each
   thing goes to the trigger that owns it in the dependency parse (the trigger whose
   phrase contains it, else the one whose clause contains it, else the nearest). A
   candidate without places or actors takes those of the sentences of its paragraph
   that hold no trigger (`les chasseurs ont visé Albou Kamal. Ces frappes...`).
2. claims: the account's claimant is the article itself, or the source it quotes: an
   entity after `selon`/`rapporte`/`according to`, or the author of an embedded message
   (`— RT France (@RTenfrancais) 16 février 2017` under a tweet: its name and date).
3. merging: candidates of one article merge when they have the same type, compatible
   dates and overlapping places (or one side has none); then article-level events of
   different articles merge when they have the same type, compatible dates and
   overlapping places, or the same day. An undated event joins another only when
   exactly one is compatible. Each article's account is kept: dates and figures are
   never averaged or picked, conflicting claims are listed side by side.
4. curated events (the `events:` section of the corrections file) always win: they are
   applied to the events found here, after their addresses are given (curated.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from spacy.language import Language
from spacy.tokens import Doc

from generator.events.finder import EventFinder
from generator.events.lexicon import EventLexicon, load_event_lexicon
from generator.events.merge import merge_accounts, to_event
from generator.events.naming import assign_event_slugs, sort_key
from generator.records import Account, Article, DateMention, Entity, Event


def find_events(
    articles: list[Article],
    entities: list[Entity],
    dates: list[DateMention],
    nlp: Language | Mapping[str, Language],
    lexicon: EventLexicon | None = None,
    parsed: Mapping[str, dict[int, Doc]] | None = None,
) -> list[Event]:
    """Candidates from every article, merged into events, in timeline order.

    `nlp`: the pipeline, or one per language: an article is read with the pipeline of
    its language, and has no events when its language has none. It parses the paragraphs
    that `parsed` (by article slug, see `paragraphs_to_parse`) does not give; with
    `parsed` given, a model's tokenizer is enough."""
    lexicon = lexicon or load_event_lexicon()
    accounts: list[Account] = []
    for parser, chosen in _by_parser(articles, nlp):
        accounts += EventFinder(parser, lexicon).candidates(chosen, entities, dates, parsed)
    return events_of_accounts(accounts, lexicon)


def events_of_accounts(accounts: list[Account], lexicon: EventLexicon) -> list[Event]:
    """The accounts of all articles merged into events, in timeline order, addressed."""
    events = [to_event(group, lexicon) for group in merge_accounts(accounts)]
    events.sort(key=sort_key)
    assign_event_slugs(events)
    return events


def _by_parser(
    articles: list[Article], nlp: Language | Mapping[str, Language]
) -> list[tuple[Language, list[Article]]]:
    """The articles that each pipeline reads (by language, when there are several)."""
    if isinstance(nlp, Language):
        return [(nlp, articles)]
    return [
        (parser, [a for a in articles if a.language == language])
        for language, parser in sorted(nlp.items())
    ]
