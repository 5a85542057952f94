"""Events: what happened, when, where, who, and who says so.

Runs after resolution (it needs the resolved entities) and before the model:

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
   applied to the events found here, after their addresses are given (curated_events.py).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial

import yaml
from slugify import slugify
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from generator.nlp.extract import PARALLEL_MIN_PARAGRAPHS, _data_text
from generator.records import (
    _PRECISION_RANK,
    Account,
    Article,
    DateMention,
    Entity,
    Event,
    Figure,
    date_label,
    entity_key,
)
from generator.text import fold
from generator.timing import progress

ACTOR_TYPES = ("organisation", "person")
STATEMENT = "statement"  # a trigger type that owns only its speaker, see `_owner`
# `— RT France (@RTenfrancais) 16 février 2017`: the signature under an embedded post.
_ATTRIBUTION = re.compile(r"^\s*[—–-]\s*(?P<name>[^()\n]{2,80}?)\s*\(@\w{1,30}\)")


# --- the lexicon -------------------------------------------------------------------------


@dataclass(frozen=True)
class EventLexicon:
    types: dict[str, dict]  # type -> {label, acled, triggers}
    not_triggers: tuple[str, ...]
    figures: dict[str, dict]
    people: tuple[str, ...]
    claim_markers: tuple[str, ...]
    metonymy_heads: frozenset[str]
    speech_verbs: frozenset[str]
    trigger_forms: tuple[str, ...] = ()  # every trigger, casefolded

    def label(self, kind: str) -> str:
        return self.types.get(kind, {}).get("label", kind)

    def mentioned_in(self, text: str) -> bool:
        """Whether the text holds a trigger word (a cheap test before parsing)."""
        low = text.casefold()
        return any(form in low for form in self.trigger_forms)


@lru_cache(maxsize=1)
def load_event_lexicon() -> EventLexicon:
    data = yaml.safe_load(_data_text("events.yml"))
    return EventLexicon(
        types=data["types"],
        not_triggers=tuple(data.get("not_triggers", ())),
        figures=data["figures"],
        people=tuple(data["people"]),
        claim_markers=tuple(fold(m) for m in data["claim_markers"]),
        metonymy_heads=frozenset(fold(w) for w in data["metonymy_heads"]),
        speech_verbs=frozenset(fold(w) for w in data["speech_verbs"]),
        trigger_forms=tuple(
            sorted({t.casefold() for entry in data["types"].values() for t in entry["triggers"]})
        ),
    )


# --- records -------------------------------------------------------------------------------


# --- finding candidates ------------------------------------------------------------------


@dataclass(frozen=True)
class _Located:
    """A thing found in a paragraph: an entity mention, a date or a figure."""

    start: int
    end: int
    item: object


class EventFinder:
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
        people = {"LOWER": {"IN": [p.casefold() for p in self.lexicon.people]}}
        for kind, entry in self.lexicon.figures.items():
            if kind == "area":
                for unit in entry["units"]:
                    words = [{"LOWER": w.casefold()} for w in unit.split()]
                    self.figures.add("area", [[number, *words]])
                continue
            after = {"LOWER": {"IN": [w.casefold() for w in entry["after"]]}}
            verbs = {"LOWER": {"IN": [w.casefold() for w in entry["verbs"]]}}
            self.figures.add(kind, [[number, after], [verbs, number, people]])

    def candidates(
        self,
        articles: Iterable[Article],
        entities: list[Entity],
        dates: list[DateMention],
        parsed: Mapping[str, dict[int, Doc]] | None = None,
    ) -> list[Account]:
        """`parsed`: the parsed paragraphs of each article (see `paragraphs_to_parse`),
        when they come from the cache; else they are parsed here."""
        entity_spans = _entity_spans(entities)
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
            thing for thing in entities if _sentence_start(doc, thing.start) not in by_sentence
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
            token = _token_at(doc, thing.start)
            if token is None:
                continue
            kind = _owner(token, triggers)
            owned[kind][1].append(thing)
        for kind, (spans, mine) in owned.items():
            if not any(_is_place(t) for t in mine):  # `l'assaut ... visant à reprendre X`
                mine.extend(
                    thing
                    for other, (inner, theirs) in owned.items()
                    if other != kind
                    and any(_contains(s.root, i.root) for s in spans for i in inner)
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
        token = _token_at(doc, start)
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
            number = next(t for t in span if t.text[:1].isdigit())
            value = int(re.sub(r"\D", "", number.text))
            unit = doc[number.i + 1 : span.end].text if span.label_ == "area" else "personnes"
            figure = Figure(span.label_, value, unit, span.text)
            found.append(_Located(span.start_char, span.end_char, figure))
        return found

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
            if _sentence_start(doc, thing.start) in by_sentence:
                continue
            before = [a for a in accounts if a.offset <= thing.start]
            (before[-1] if before else accounts[0]).figures.append(thing.item)


def _is_place(thing: _Located) -> bool:
    return isinstance(thing.item, Entity) and thing.item.type == "place"


def _has(entities: list[Entity], entity: Entity) -> bool:
    return any(e is entity for e in entities)


def paragraphs_to_parse(article: Article, lexicon: EventLexicon) -> dict[int, str]:
    """The paragraphs that name an event (only they need the parser), by index."""
    texts = (_for_parsing(p) for p in article.normalised_paragraphs)
    return {i: text for i, text in enumerate(texts) if lexicon.mentioned_in(text)}


def parse_articles(
    nlp: Language,
    articles: list[Article],
    paragraphs: Callable[[Article], dict[int, str]],
    jobs: int = 1,
) -> Iterator[tuple[Article, dict[int, Doc]]]:
    """The parsed `paragraphs` of each article, an article at a time, in order: a large
    dossier's parses are never all in memory at once. `jobs` > 1: that many processes."""
    chosen = [paragraphs(article) for article in articles]
    texts = [text for by_index in chosen for text in by_index.values()]
    n_process = jobs if jobs > 1 and len(texts) >= PARALLEL_MIN_PARAGRAPHS else 1
    with _parser_only(nlp):
        parsed = nlp.pipe(texts, batch_size=64, n_process=n_process)  # in order
        docs = iter(progress(parsed, len(texts), "parse", "paragraph"))
        for article, by_index in zip(articles, chosen, strict=True):
            yield article, {index: next(docs) for index in by_index}


def _parser_only(nlp: Language):  # type: ignore[no-untyped-def]
    disabled = [p for p in nlp.pipe_names if p == "ner" or p.endswith("entity_ruler")]
    return nlp.select_pipes(disable=disabled)


def _for_parsing(text: str) -> str:
    """`l'#Attentat` -> `l' Attentat`: hashtags parse as words (same length)."""
    return re.sub(r"#(?=\w)", " ", text)


def _entity_spans(entities: list[Entity]) -> dict[tuple[str, int], list[_Located]]:
    spans: dict[tuple[str, int], list[_Located]] = {}
    for entity in entities:
        for mention in entity.mentions:
            spans.setdefault((mention.article, mention.paragraph), []).append(
                _Located(mention.start, mention.end, entity)
            )
    for items in spans.values():
        items.sort(key=lambda t: (t.start, t.end))
    return spans


def _token_at(doc: Doc, char: int) -> Token | None:
    """The token at a character offset, or the first one after it (binary search)."""
    index = bisect.bisect_right(doc, char, key=lambda token: token.idx + len(token.text))
    return doc[index] if index < len(doc) else None


def _sentence_start(doc: Doc, char: int) -> int | None:
    token = _token_at(doc, char)
    return token.sent.start if token is not None else None


_CLAUSAL = {"advcl", "ccomp", "xcomp", "acl", "acl:relcl", "csubj", "parataxis"}


def _clause_head(token: Token) -> Token:
    """The head of the clause a trigger is in: a verb, or a non-verbal clause root
    (`il est responsable de récentes attaques`: `responsable`)."""
    while (
        token.pos_ not in {"VERB", "AUX"} and token.dep_ not in _CLAUSAL and token.head.i != token.i
    ):
        token = token.head
    return token


def _contains(root: Token, token: Token) -> bool:
    return root.left_edge.i <= token.i <= root.right_edge.i


def _owner(token: Token, triggers: list[tuple[str, Span]]) -> str:
    """The trigger that owns a token: the first trigger phrase or trigger clause met going
    up the parse from the token, else the nearest trigger. A statement's clause only owns
    its subject (the speaker): what is said belongs to the events it tells of."""
    roots = {span.root.i: kind for kind, span in triggers}
    clauses: dict[int, list[tuple[str, Span]]] = {}
    for kind, span in triggers:
        clauses.setdefault(_clause_head(span.root).i, []).append((kind, span))
    node, previous = token, None
    while True:
        if node.i in roots:
            return roots[node.i]
        held = clauses.get(node.i, [])
        if previous is not None and not previous.dep_.startswith("nsubj"):
            held = [(k, s) for k, s in held if k != STATEMENT]
        if held:
            return _nearest(token, held)
        if node.head.i == node.i:
            return _nearest(token, triggers)
        node, previous = node.head, node


def _nearest(token: Token, triggers: list[tuple[str, Span]]) -> str:
    return min(triggers, key=lambda ks: (abs(ks[1].root.i - token.i), ks[1].start))[0]


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


# --- merging -------------------------------------------------------------------------------


def _span_of(dates: Iterable[DateMention]) -> set[tuple[dt.date, dt.date]]:
    spans = set()
    for date in dates:
        if date.value is not None:
            spans.add(date_range(date.value, date.precision))
    return spans


def date_range(value: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    if precision == "year":
        return dt.date(value.year, 1, 1), dt.date(value.year, 12, 31)
    if precision == "month":
        last = calendar.monthrange(value.year, value.month)[1]
        return value.replace(day=1), value.replace(day=last)
    return value, value


@dataclass
class _Group:
    """Accounts of one event, with their date spans, days and place keys kept up to date
    (merging compares them millions of times on a large dossier)."""

    type: str
    accounts: list[Account]
    spans: set[tuple[dt.date, dt.date]] = field(init=False)
    places: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.accounts = list(self.accounts)
        self.spans = _span_of(a.date for a in self.accounts if a.date is not None)
        self.places = {entity_key(p) for a in self.accounts for p in a.places}

    @property
    def days(self) -> set[dt.date]:
        return {start for start, end in self.spans if start == end}

    @property
    def dated(self) -> bool:
        return bool(self.spans)

    def absorb(self, other: _Group) -> None:
        self.accounts.extend(other.accounts)
        self.spans |= other.spans
        self.places |= other.places


def _dates_compatible(a: _Group, b: _Group) -> bool:
    """Every dated claim of one overlaps every dated claim of the other."""
    return all(sa[0] <= sb[1] and sb[0] <= sa[1] for sa in a.spans for sb in b.spans)


def _within_article(a: _Group, b: _Group) -> bool:
    places_fit = not a.places or not b.places or bool(a.places & b.places)
    return a.type == b.type and _dates_compatible(a, b) and places_fit


def _across_articles(a: _Group, b: _Group) -> bool:
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
        self.keys: defaultdict[tuple, set[int]] = defaultdict(set)

    def add(self, position: int, group: _Group) -> None:
        for key in self._keys(group):
            self.keys[key].add(position)

    def candidates(self, group: _Group) -> list[int]:
        return sorted(set().union(*(self.keys.get(key, ()) for key in self._keys(group))))

    @staticmethod
    def _keys(group: _Group) -> list[tuple]:
        return [
            *(("place", group.type, p) for p in group.places),
            *(("day", group.type, d) for d in group.days),
        ]


def _merge(groups: list[_Group], fits, index: _AcrossIndex | None = None) -> list[_Group]:  # type: ignore[no-untyped-def]
    """Greedy merge, dated groups first; an undated group joins only an unambiguous match.

    `index`: compare a group only with the merged groups that share a place or a day
    (enough for `_across_articles`, and what keeps a large dossier linear)."""
    ordered = sorted(groups, key=lambda g: (not g.dated, min(g.spans, default=_NO_SPAN)))
    merged: list[_Group] = []
    for group in ordered:
        positions = index.candidates(group) if index is not None else range(len(merged))
        matches = [i for i in positions if fits(merged[i], group)]
        if not group.dated and len(matches) > 1:
            matches = []
        if matches:
            position = max(matches, key=lambda i: len(merged[i].places & group.places))
            merged[position].absorb(group)
        else:
            position = len(merged)
            merged.append(_Group(group.type, group.accounts))
        if index is not None:
            index.add(position, merged[position])
    return merged


_NO_SPAN = (dt.date.max, dt.date.max)


def merge_accounts(accounts: list[Account]) -> list[_Group]:
    by_article: dict[str, list[_Group]] = {}
    for account in accounts:
        by_article.setdefault(account.article, []).append(_Group(account.type, [account]))
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
    merged = to_event(_Group(first.type, accounts), lexicon)
    merged.slug = first.slug
    merged.merged_from = tuple(event.slug for event in events)
    return merged


def to_event(group: _Group, lexicon: EventLexicon) -> Event:
    accounts = sorted(group.accounts, key=lambda a: (a.article, a.paragraph))
    spans = sorted(group.spans)
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
    counts: dict[str, tuple[int, Entity]] = {}
    for entity in entities:
        count, _ = counts.get(entity_key(entity), (0, entity))
        counts[entity_key(entity)] = (count + 1, entity)
    ranked = sorted(counts.values(), key=lambda ce: (-ce[0], fold(ce[1].name)))
    return [entity for _, entity in ranked]


def event_title(event: Event) -> str:
    where = ", ".join(p.name for p in event.places[:3])
    title = f"{event.label} — {where}" if where else event.label
    if event.date is not None:
        title += f" ({date_label(event.date, event.precision)})"
    return title


def sort_key(event: Event) -> tuple:
    return (
        event.date is None,
        event.date or dt.date.min,
        event.end_date or dt.date.min,
        fold(event.title),
        event.slug,
    )


def assign_event_slugs(events: list[Event]) -> None:
    """Addresses from what was found (date, type, first places), `-2`... in timeline order.
    Curated corrections refer to these and never change them (see curated_events.py)."""
    used: dict[str, int] = {}
    for event in events:
        where = " ".join(p.name for p in event.places[:2])
        base = event_slug_base(event, f"{event.label} {where}")
        used[base] = used.get(base, 0) + 1
        event.slug = base if used[base] == 1 else f"{base}-{used[base]}"


def event_slug_base(event: Event, words: str) -> str:
    when = event.date.isoformat() if event.date else "sans-date"
    return slugify(f"{when} {words}", max_length=80, word_boundary=True)


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
    accounts = []
    for parser, chosen in _by_parser(articles, nlp):
        accounts += EventFinder(parser, lexicon).candidates(chosen, entities, dates, parsed)
    events = [to_event(group, lexicon) for group in merge_accounts(accounts)]
    events.sort(key=sort_key)
    assign_event_slugs(events)
    return events


def _by_parser(
    articles: list[Article], nlp: Language | Mapping[str, Language]
) -> list[tuple[Language, list[Article]]]:
    if isinstance(nlp, Language):
        return [(nlp, articles)]
    return [
        (parser, [a for a in articles if a.language == language])
        for language, parser in sorted(nlp.items())
    ]
