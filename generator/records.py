"""The records passed between the stages of the pipeline, declared in one place.

ingest -> Article, Problem; extract -> Mention; resolve -> Entity (with its Decisions);
dates -> DateMention; events -> Event (its Accounts, Figures, Claims); model -> Dossier;
render -> Page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from generator.text import normalise_typography

SKIPPED = "skipped"


KEPT = "article kept"


@dataclass(frozen=True)
class Article:
    slug: str
    filename: str
    title: str
    title_derived: bool
    date: dt.date | None
    outlet: str | None
    url: str | None
    language: str | None
    author: str | None
    paragraphs: tuple[str, ...]
    sha256: str
    aliases: tuple[str, ...] = ()  # other filenames with the same text
    language_basis: str | None = None  # declared / detected / default, see languages.py
    # (paragraph index, language) of the paragraphs written in another language than the
    # article's (a quoted statement, a translated passage), see languages.py
    other_languages: tuple[tuple[int, str], ...] = ()

    @property
    def normalised_paragraphs(self) -> tuple[str, ...]:
        return tuple(normalise_typography(p) for p in self.paragraphs)


@dataclass(frozen=True)
class Problem:
    path: str
    message: str  # what is wrong, and for a kept article how each part was handled
    action: str = SKIPPED

    def __str__(self) -> str:
        return f"{self.path}: {self.message} ({self.action})"

    @property
    def skipped(self) -> bool:
        return self.action == SKIPPED


@dataclass(frozen=True)
class Mention:
    article: str  # article slug
    paragraph: int  # 0-based paragraph index
    start: int  # character offsets in the paragraph
    end: int
    text: str  # surface form, as written in the original text
    type: str  # person / place / organisation, as the extractor saw it
    sentence: str  # the original sentence around the mention
    sentence_start: int  # offset of the sentence in the paragraph
    origin: str  # "model", "ruler" (data files), "gazetteer", "curated" (corrections file)
    evidence: str = ""  # why this type: `after "localités de"`, `known organisation`...


@dataclass(frozen=True)
class Decision:
    """A join made by a rule that may be wrong, kept on the entity for review."""

    rule: str  # fuzzy / surname / bare body / same place
    joined: str  # the name key (a bare body: the surface) that joined...
    into: str  # ...the name key of this group
    surfaces: tuple[str, ...] = ()  # the forms, as written, that came with `joined`
    score: float | None = None  # rapidfuzz ratio of a fuzzy or surname join
    threshold: float | None = None  # the ratio the rule needs
    note: str = ""  # the place, the kind of body

    def __str__(self) -> str:
        text = f"{self.rule}: {self.joined!r} joined {self.into!r}"
        if self.score is not None:
            text += f" (ratio {self.score:.0f} >= {self.threshold:.0f})"
        return f"{text} ({self.note})" if self.note else text


@dataclass
class Entity:
    slug: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: tuple[Mention, ...]
    description: str | None = None
    links: tuple[str, ...] = ()
    coordinates: tuple[float, float] | None = None
    origin: str = "model"  # model / known / curated
    also_known_as: tuple[str, ...] = ()  # curated or known names the articles do not use
    country: str | None = None  # ISO 3166 alpha-2 code of a place's country (gazetteer)
    coordinates_source: str | None = None  # where the coordinates come from
    confidence: float = 1.0  # share of the type votes that the chosen type got
    decisions: tuple[Decision, ...] = ()  # joins made by a rule, to review
    votes: tuple[tuple[str, int], ...] = ()  # type votes (none when curated or known)


@dataclass(frozen=True)
class DateMention:
    article: str  # article slug
    paragraph: int
    start: int  # character offsets in the paragraph
    end: int
    text: str  # the original wording
    kind: str  # absolute / yearless / relative
    value: dt.date | None
    precision: str  # day / month / year, or unknown when unresolved
    basis: str  # explicit / publication / inferred / unresolved
    inferred_from: str | None = None  # the full date whose year was taken

    @property
    def resolved(self) -> bool:
        return self.value is not None


FIGURE_KINDS = ("killed", "injured", "displaced", "area")


_PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "unknown": 3}


MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]  # fmt: skip


def date_label(value: dt.date | None, precision: str) -> str:
    if value is None:
        return "date inconnue"
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{MONTHS[value.month - 1]} {value.year}"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


@dataclass(frozen=True)
class Figure:
    kind: str  # killed / injured / displaced / area
    value: int
    unit: str  # `personnes` for counts of people, else the unit as written (`km`)
    text: str  # the wording, `39 morts`

    @property
    def shown(self) -> str:
        """The figure as claims show it: `52 personnes`, `30 km`."""
        return f"{self.value} {self.unit}".strip()


@dataclass
class Account:
    """What one article says about one event (one or more of its sentences)."""

    article: str  # article slug
    paragraph: int  # first paragraph
    sentences: list[str]  # the original sentences
    triggers: list[str]
    dates: list[DateMention] = field(default_factory=list)
    places: list[Entity] = field(default_factory=list)
    actors: list[Entity] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    claimant: str | None = None  # who says so, when the article quotes someone
    claimant_entity: Entity | None = None
    type: str = ""
    offset: int = 0  # where the first sentence starts in its paragraph
    curated: bool = False  # a source given in the corrections file (sentences: its quote)

    @property
    def date(self) -> DateMention | None:
        """The most precise resolved date of the account, else its first wording."""
        resolved = [d for d in self.dates if d.value is not None]
        if resolved:
            return min(resolved, key=lambda d: (_PRECISION_RANK[d.precision], d.value))
        return self.dates[0] if self.dates else None


@dataclass(frozen=True)
class Claim:
    """One value of a figure or a date, with who says it and where."""

    value: str  # as shown: `52`, `16 février 2017`
    claimant: str | None  # None: the article itself
    claimant_entity: Entity | None
    article: str
    paragraph: int
    wording: str
    date: dt.date | None = None  # a date claim's value and precision, to word it again
    precision: str = ""


def account_claim(account: Account, value: str, wording: str) -> Claim:
    """What an account says of one field: its value, who says it, where, in which words."""
    return Claim(
        value=value,
        claimant=account.claimant,
        claimant_entity=account.claimant_entity,
        article=account.article,
        paragraph=account.paragraph,
        wording=wording,
    )


@dataclass
class Event:
    slug: str
    type: str
    label: str
    date: dt.date | None  # start of the event (the earliest resolved date claimed)
    end_date: dt.date | None  # end of the range (== date for a single day)
    precision: str  # day / month / year / unknown
    places: list[Entity]
    actors: list[Entity]
    accounts: list[Account]
    title: str = ""
    origin: str = "model"  # model / curated (added by hand in the corrections file)
    description: str | None = None
    corrected: tuple[str, ...] = ()  # fields of a found event overridden by hand: `date`...
    merged_from: tuple[str, ...] = ()  # addresses of the found events merged by hand
    figures: tuple[Figure, ...] = ()  # figures given by hand: the headline values

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(a.article for a in self.accounts))

    def date_claims(self) -> list[Claim]:
        claims = []
        for account in self.accounts:
            date = account.date
            if date is None:
                continue
            claim = account_claim(account, date_label(date.value, date.precision), date.text)
            claims.append(replace(claim, date=date.value, precision=date.precision))
        return claims

    def figure_claims(self) -> dict[str, list[Claim]]:
        claims: dict[str, list[Claim]] = {}
        for account in self.accounts:
            for figure in account.figures:
                claims.setdefault(figure.kind, []).append(
                    account_claim(account, figure.shown, figure.text)
                )
        return {k: claims[k] for k in FIGURE_KINDS if k in claims}

    def conflicts(self) -> list[str]:
        """Which claims disagree: `date`, `killed`... (shown side by side, never picked)."""
        found = []
        resolved = {c.value for c in self.date_claims() if c.value != "date inconnue"}
        if len(resolved) > 1:
            found.append("date")
        for kind, claims in self.figure_claims().items():
            if len({c.value for c in claims}) > 1:
                found.append(kind)
        return found


@dataclass(frozen=True)
class Version:
    """One value of a disputed field of an event, with the claims that give it."""

    value: str  # as the claims show it: `52 personnes`, `16 février 2017`, `Bagdad`
    claims: tuple[Claim, ...]
    amount: int | None = None  # a figure's number, for its wording (`52 morts`)
    places: tuple[Entity, ...] = ()  # a place version: the places it names


@dataclass(frozen=True)
class Conflict:
    """A field of an event on which the sources disagree: each version, none picked."""

    field: str  # date / place / killed / injured / displaced / area
    versions: tuple[Version, ...]


def entity_key(entity: Entity) -> str:
    return f"{entity.type}/{entity.slug}"


@dataclass(frozen=True)
class LinkedMention:
    mention: Mention
    entity: Entity


@dataclass(frozen=True)
class SharedSentence:
    article: str  # article slug
    paragraph: int  # 0-based
    text: str


@dataclass(frozen=True)
class Related:
    entity: Entity
    count: int  # paragraphs in which both appear
    sentences: tuple[SharedSentence, ...] = ()  # the sentences that name both


@dataclass
class Dossier:
    articles: list[Article]
    entities: list[Entity]
    problems: list[Problem] = field(default_factory=list)
    mentions_by_article: dict[str, list[LinkedMention]] = field(default_factory=dict)
    related: dict[str, list[Related]] = field(default_factory=dict)  # by entity page path
    article_by_slug: dict[str, Article] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)  # in timeline order
    notes: list[str] = field(default_factory=list)  # corrections that did not apply

    events_by_entity: dict[str, list[Event]] = field(default_factory=dict)  # by entity_key
    conflicts: dict[str, list[Conflict]] = field(default_factory=dict)  # by event slug

    def events_of(self, entity: Entity) -> list[Event]:
        """The events where an entity is a place or an actor, in date order."""
        return list(self.events_by_entity.get(entity_key(entity), []))

    def entities_of(self, kind: str) -> list[Entity]:
        return [e for e in self.entities if e.type == kind]

    def sources_of(self, entity: Entity) -> list[Article]:
        slugs = dict.fromkeys(m.article for m in entity.mentions)
        return [self.article_by_slug[s] for s in slugs]

    def seen_dates(self, entity: Entity) -> tuple[dt.date | None, dt.date | None]:
        dates = sorted(a.date for a in self.sources_of(entity) if a.date is not None)
        return (dates[0], dates[-1]) if dates else (None, None)

    def most_cited(self, limit: int = 10) -> list[Entity]:
        return sorted(self.entities, key=lambda e: (-len(e.mentions), e.name))[:limit]

    def latest_articles(self, limit: int = 10) -> list[Article]:
        dated = sorted(
            self.articles, key=lambda a: (a.date is None, -(a.date or dt.date.min).toordinal())
        )
        return dated[:limit]


@dataclass(frozen=True)
class Page:
    path: str  # relative to the content folder, POSIX separators
    # the Markdown, or the bytes of a large data file (site/exports.py); empty when `kept`
    text: str | bytes
    inputs: str | None = None  # digest of what it is made from (site/inputs.py), if known
    kept: bool = False  # same inputs as the file written last time: not rendered, kept

    @property
    def data(self) -> bytes:
        """What its file holds."""
        return self.text if isinstance(self.text, bytes) else self.text.encode("utf-8")


@dataclass
class ExtractionStats:
    extracted: int = 0  # articles that went through the model
    cached: int = 0  # articles whose mentions came from the cache
    parsed: int = 0  # articles whose event paragraphs went through the parser
    parses_cached: int = 0  # articles whose parsed paragraphs came from the cache
    warnings: list[str] = field(default_factory=list)  # said once per build


@dataclass
class BuildReport:
    articles: int = 0
    entities: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)  # worth a line, not a failure
    extraction: ExtractionStats = field(default_factory=ExtractionStats)
    epoch: str | None = None  # SOURCE_DATE_EPOCH for MkDocs: see reproducible_epoch
    replayed: bool = False  # nothing changed: the last build's report, pages kept
    site: str = ""  # what MkDocs rendered and kept (see generator/site/incremental.py)
