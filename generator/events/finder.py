"""Finding accounts in parsed paragraphs: the candidates and their claimants.

A sentence holding a trigger of the lexicon is an account of an event of its type, with
the entities, dates and figures of the same sentence; where a sentence holds triggers of
several types, each thing goes to the trigger that owns it in the dependency parse
(`owning_trigger`). An account without places or actors takes those of the sentences of
its paragraph that hold no trigger. Its claimant is the source after `selon`/`according
to`, or the author of the embedded post whose signature line follows the paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from generator.events.lexicon import ACTOR_TYPES, EventLexicon, load_event_lexicon
from generator.events.parsing import (
    owning_trigger,
    paragraphs_to_parse,
    parse_articles,
    sentence_start,
    subtree_contains,
    token_at,
)
from generator.records import Account, Article, DateMention, Entity, Figure
from generator.text import fold

# `— RT France (@RTenfrancais) 16 février 2017`: the signature under an embedded post.
_ATTRIBUTION = re.compile(r"^\s*[—–-]\s*(?P<name>[^()\n]{2,80}?)\s*\(@\w{1,30}\)")


@dataclass(frozen=True)
class _Located:
    """A thing found in a paragraph: an entity mention, a date or a figure."""

    start: int
    end: int
    item: Entity | DateMention | Figure


class EventFinder:
    """The accounts of events in the articles read with one pipeline (`nlp`)."""

    def __init__(self, nlp: Language, lexicon: EventLexicon | None = None) -> None:
        self.nlp = nlp
        self.lexicon = lexicon or load_event_lexicon()
        self.triggers = PhraseMatcher(nlp.vocab, attr="LOWER")
        for kind, entry in self.lexicon.types.items():
            self.triggers.add(kind, [nlp.make_doc(t) for t in entry["triggers"]])
        self.blocked = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.blocked.add("NOT", [nlp.make_doc(t) for t in self.lexicon.not_triggers])
        self.figures = Matcher(nlp.vocab)
        self._add_figure_patterns()

    def _add_figure_patterns(self) -> None:
        number = {"TEXT": {"REGEX": r"^\d[\d\s.,]*$"}}
        in_words = {"LOWER": {"IN": sorted(self.lexicon.number_words)}}
        people = {"LOWER": {"IN": [p.casefold() for p in self.lexicon.people]}}
        for kind, entry in self.lexicon.figures.items():
            if kind == "area":
                for unit in entry["units"]:
                    unit_words = [{"LOWER": w.casefold()} for w in unit.split()]
                    self.figures.add("area", [[number, *unit_words]])
                continue
            after = {"LOWER": {"IN": [w.casefold() for w in entry["after"]]}}
            verbs = {"LOWER": {"IN": [w.casefold() for w in entry["verbs"]]}}
            self.figures.add(
                kind,
                [[n, after] for n in (number, in_words)]
                + [[verbs, n, people] for n in (number, in_words)],
            )

    def candidates(
        self,
        articles: Iterable[Article],
        entities: list[Entity],
        dates: list[DateMention],
        parsed: Mapping[str, dict[int, Doc]] | None = None,
    ) -> list[Account]:
        """`parsed`: the parsed paragraphs of each article (see `paragraphs_to_parse`),
        when they come from the cache; else they are parsed here."""
        articles = list(articles)
        entity_spans = _entity_spans(entities, {article.slug for article in articles})
        date_spans: dict[tuple[str, int], list[DateMention]] = {}
        for date in dates:
            date_spans.setdefault((date.article, date.paragraph), []).append(date)
        if parsed is None:
            chosen = partial(paragraphs_to_parse, lexicon=self.lexicon)
            by_article = parse_articles(self.nlp, list(articles), chosen)
        else:
            by_article = ((article, parsed[article.slug]) for article in articles)
        accounts: list[Account] = []
        for article, docs in by_article:
            accounts.extend(self._article_candidates(article, docs, entity_spans, date_spans))
        return accounts

    def _article_candidates(
        self,
        article: Article,
        docs: dict[int, Doc],
        entity_spans: dict[tuple[str, int], list[_Located]],
        date_spans: dict[tuple[str, int], list[DateMention]],
    ) -> Iterator[Account]:
        for index, doc in sorted(docs.items()):
            key = (article.slug, index)
            found = self.paragraph_candidates(
                doc,
                article,
                index,
                entity_spans.get(key, []),
                date_spans.get(key, []),
            )
            signature = _attribution(article, index + 1, entity_spans, date_spans)
            for account in found:
                if signature is not None:
                    name, entity, signed_dates = signature
                    account.claimant, account.claimant_entity = name, entity
                    if not any(d.value for d in account.dates):
                        account.dates = signed_dates + account.dates
                    account.actors = [a for a in account.actors if a is not entity]
                yield account

    def paragraph_candidates(
        self,
        doc: Doc,
        article: Article,
        paragraph: int,
        entities: list[_Located],
        dates: list[DateMention],
    ) -> list[Account]:
        original = article.paragraphs[paragraph]
        triggers = self._triggers(doc)
        if not triggers:
            return []
        by_sentence: dict[int, list[tuple[str, Span]]] = {}
        for kind, span in triggers:
            by_sentence.setdefault(span.sent.start, []).append((kind, span))
        entities = [t for t in entities if not (_is_place(t) and self._is_metonymy(doc, t.start))]
        located = [
            *entities,
            *(_Located(d.start, d.end, d) for d in dates),
            *self._figures(doc),
        ]
        context = [
            thing for thing in entities if sentence_start(doc, thing.start) not in by_sentence
        ]
        accounts: list[Account] = []
        for sent in doc.sents:
            if sent.start not in by_sentence:
                continue
            inside = [t for t in located if sent.start_char <= t.start < sent.end_char]
            owned = self._share(sent, by_sentence[sent.start], inside)
            claimant = self._claimant(doc, sent, inside)
            for kind, (spans, things) in owned.items():
                account = Account(
                    article=article.slug,
                    paragraph=paragraph,
                    sentences=[original[sent.start_char : sent.end_char].strip()],
                    triggers=[original[s.start_char : s.end_char] for s in spans],
                    type=kind,
                    offset=sent.start_char,
                )
                self._fill(account, doc, things, context, claimant)
                accounts.append(account)
        self._attach_loose_figures(doc, accounts, by_sentence, located)
        return accounts

    def _triggers(self, doc: Doc) -> list[tuple[str, Span]]:
        blocked = [doc[s:e] for _, s, e in self.blocked(doc)]
        spans = []
        for match, start, end in self.triggers(doc):
            span = doc[start:end]
            span.label_ = doc.vocab.strings[match]
            if any(b.start <= span.start and span.end <= b.end for b in blocked):
                continue
            spans.append(span)
        return [(s.label_, s) for s in sorted(filter_spans(spans), key=lambda s: s.start)]

    def _share(
        self, sent: Span, triggers: list[tuple[str, Span]], things: list[_Located]
    ) -> dict[str, tuple[list[Span], list[_Located]]]:
        """Give each thing of the sentence to the trigger that owns it in the parse."""
        owned: dict[str, tuple[list[Span], list[_Located]]] = {}
        for kind, span in triggers:
            owned.setdefault(kind, ([], []))[0].append(span)
        if len(owned) == 1:
            next(iter(owned.values()))[1].extend(things)
            return owned
        doc = sent.doc
        for thing in things:
            token = token_at(doc, thing.start)
            if token is None:
                continue
            kind = owning_trigger(token, triggers)
            owned[kind][1].append(thing)
        for kind, (spans, mine) in owned.items():
            if not any(_is_place(t) for t in mine):  # `l'assaut ... visant à reprendre X`
                mine.extend(
                    thing
                    for other, (inner, theirs) in owned.items()
                    if other != kind
                    and any(subtree_contains(s.root, i.root) for s in spans for i in inner)
                    for thing in theirs
                    if _is_place(thing)
                )
        return owned

    def _fill(
        self,
        account: Account,
        doc: Doc,
        things: list[_Located],
        context: list[_Located],
        claimant: tuple[str, Entity] | None,
    ) -> None:
        for thing in sorted(things, key=lambda t: t.start):
            item = thing.item
            if isinstance(item, DateMention):
                account.dates.append(item)
            elif isinstance(item, Figure):
                account.figures.append(item)
            elif isinstance(item, Entity):
                self._add_entity(account, item)
        if claimant is not None:
            account.claimant, account.claimant_entity = claimant
            account.actors = [a for a in account.actors if a is not claimant[1]]
        if not account.places or not account.actors:
            had_places, had_actors = bool(account.places), bool(account.actors)
            for thing in context:
                entity = thing.item
                assert isinstance(entity, Entity)
                if (entity.type == "place") != had_places and (
                    entity.type == "place" or not had_actors
                ):
                    self._add_entity(account, entity)
            if claimant is not None:
                account.actors = [a for a in account.actors if a is not claimant[1]]

    def _add_entity(self, account: Account, entity: Entity) -> None:
        if entity.type == "place":
            if not _has(account.places, entity):
                account.places.append(entity)
        elif entity.type in ACTOR_TYPES and not _has(account.actors, entity):
            account.actors.append(entity)

    def _is_metonymy(self, doc: Doc, start: int) -> bool:
        """`le gouvernement de Damas`, `Damas a précisé`: the place stands for an actor."""
        token = token_at(doc, start)
        if token is None:
            return False
        head = token.head
        if head.i < token.i and fold(head.text) in self.lexicon.metonymy_heads:
            return True
        if token.dep_ == "obl:agent" and head.dep_ == "acl":
            return True  # `la coalition menée par les États-Unis` describes an actor
        return token.dep_ == "nsubj" and fold(head.text) in self.lexicon.speech_verbs

    def _figures(self, doc: Doc) -> list[_Located]:
        found = []
        spans = []
        for match, start, end in self.figures(doc):
            span = doc[start:end]
            span.label_ = doc.vocab.strings[match]
            spans.append(span)
        for span in filter_spans(spans):
            number, value = self._number(span)
            unit = doc[number.i + 1 : span.end].text if span.label_ == "area" else "personnes"
            figure = Figure(span.label_, value, unit, span.text)
            found.append(_Located(span.start_char, span.end_char, figure))
        return found

    def _number(self, span: Span) -> tuple[Token, int]:
        """The number of a figure's span and its value, in digits or in words."""
        for token in span:
            if token.text[:1].isdigit():
                return token, int(re.sub(r"\D", "", token.text))
            if token.lower_ in self.lexicon.number_words:
                return token, self.lexicon.number_words[token.lower_]
        raise ValueError(f"no number in {span.text!r}")  # the patterns always have one

    def _claimant(self, doc: Doc, sent: Span, things: list[_Located]) -> tuple[str, Entity] | None:
        for thing in things:
            entity = thing.item
            if not isinstance(entity, Entity) or entity.type not in ACTOR_TYPES:
                continue
            before = fold(doc.text[max(sent.start_char, thing.start - 30) : thing.start])
            before = re.sub(r"\b(?:l|le|la|les|the|de|du|des)$", "", before).strip()
            if any(before.endswith(marker) for marker in self.lexicon.claim_markers):
                return entity.name, entity
        return None

    def _attach_loose_figures(
        self,
        doc: Doc,
        accounts: list[Account],
        by_sentence: dict[int, list[tuple[str, Span]]],
        located: list[_Located],
    ) -> None:
        """A figure in a sentence without a trigger goes to the account just before it."""
        if not accounts:
            return
        for thing in located:
            if not isinstance(thing.item, Figure):
                continue
            if sentence_start(doc, thing.start) in by_sentence:
                continue
            before = [a for a in accounts if a.offset <= thing.start]
            (before[-1] if before else accounts[0]).figures.append(thing.item)


def _is_place(thing: _Located) -> bool:
    return isinstance(thing.item, Entity) and thing.item.type == "place"


def _has(entities: list[Entity], entity: Entity) -> bool:
    return any(e is entity for e in entities)


def _entity_spans(
    entities: list[Entity], articles: set[str]
) -> dict[tuple[str, int], list[_Located]]:
    """The entity spans of each paragraph of these articles, in text order."""
    spans: dict[tuple[str, int], list[_Located]] = {}
    for entity in entities:
        for mention in entity.mentions:
            if mention.article in articles:
                spans.setdefault((mention.article, mention.paragraph), []).append(
                    _Located(mention.start, mention.end, entity)
                )
    for items in spans.values():
        items.sort(key=lambda t: (t.start, t.end))
    return spans


def _attribution(
    article: Article,
    paragraph: int,
    entity_spans: dict[tuple[str, int], list[_Located]],
    date_spans: dict[tuple[str, int], list[DateMention]],
) -> tuple[str, Entity | None, list[DateMention]] | None:
    """The signature line under an embedded post: its author (entity if known) and date."""
    if paragraph >= len(article.paragraphs):
        return None
    line = article.normalised_paragraphs[paragraph]
    match = _ATTRIBUTION.match(line)
    if match is None:
        return None
    name = match.group("name").strip()
    entity = next(
        (
            t.item
            for t in entity_spans.get((article.slug, paragraph), [])
            if isinstance(t.item, Entity) and t.item.type in ACTOR_TYPES
        ),
        None,
    )
    dates = date_spans.get((article.slug, paragraph), [])
    return (entity.name if entity else name), entity, list(dates)
