"""Dates: find date expressions in articles and normalise them, never guessing a year.

Expressions are found by a spaCy `Matcher` whose token patterns live in
`generator/data/dates.yml` (the French model has no DATE entity) and read by
`dateparser` with an explicit language and explicit settings; dateparser reads its own
packaged data only, nothing is fetched. How a value is obtained (`basis`):

- `explicit`: the expression carries its year (`16 février 2017`, `February 24, 2017`);
- `publication`: a year-less or relative expression (`le 24 février`, `mardi dernier`)
  read against the article's publication date (dateparser's RELATIVE_BASE, preferring
  the past: news reports what happened);
- `inferred`: the article has no date, but a year-less `le 24 février` lies within
  `INFERENCE_WINDOW_DAYS` of a fully dated expression of the same article
  (`16 février 2017`) in exactly one year: that year is taken, and the page says so;
- `unresolved`: anything else. A relative date needs the day of writing, which a
  fully dated expression elsewhere in the text does not give: without a publication
  date, `hier` and `mardi dernier` stay unresolved. The wording is always kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import dateparser
import yaml
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from generator.nlp.lexicon import _data_text
from generator.records import Article, DateMention

INFERENCE_WINDOW_DAYS = 92  # a year-less date this close to a full date takes its year
PRECISIONS = ("day", "month", "year", "unknown")
REQUIRED_PARTS = {"day": ["day", "month", "year"], "month": ["month", "year"], "year": ["year"]}
TokenPattern = list[dict[str, Any]]  # a spaCy Matcher pattern, as dates.yml gives it


@dataclass(frozen=True)
class DatePattern:
    lang: str
    kind: str  # absolute / yearless / relative
    precision: str  # day / month / year
    skip: int = 0
    prefer: str = "past"
    drop: tuple[str, ...] = ()
    same_day: bool = False  # a bare weekday: the article's own day when it is that day


@lru_cache(maxsize=1)
def load_date_patterns() -> tuple[tuple[DatePattern, TokenPattern], ...]:
    data = yaml.safe_load(_data_text("dates.yml"))
    patterns = []
    for entry in data["patterns"]:
        pattern = DatePattern(
            lang=entry["lang"],
            kind=entry["kind"],
            precision=entry["precision"],
            skip=int(entry.get("skip", 0)),
            prefer=entry.get("prefer", "past"),
            drop=tuple(entry.get("drop", ())),
            same_day=bool(entry.get("same_day", False)),
        )
        patterns.append((pattern, entry["pattern"]))
    return tuple(patterns)


def date_matcher(nlp: Language) -> tuple[Matcher, dict[str, DatePattern]]:
    matcher = Matcher(nlp.vocab)
    rules = {}
    for index, (pattern, tokens) in enumerate(load_date_patterns()):
        key = f"DATE_{index}"
        matcher.add(key, [tokens])
        rules[key] = pattern
    return matcher, rules


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    pattern: DatePattern


def find_dates(doc: Doc, matcher: Matcher, rules: dict[str, DatePattern]) -> list[FoundDate]:
    """Date expressions of a doc, the longest where they overlap, in text order."""
    matches = {(start, end): doc.vocab.strings[key] for key, start, end in matcher(doc)}
    found = []
    for span in filter_spans([doc[start:end] for start, end in matches]):
        pattern = rules[matches[span.start, span.end]]
        date = span[pattern.skip :]
        found.append(FoundDate(date.start_char, date.end_char, pattern))
    return sorted(found, key=lambda f: f.start)


def parse_date(text: str, pattern: DatePattern, base: dt.date | None) -> dt.date | None:
    """Read one expression with dateparser; None when it cannot be read for sure."""
    words = [w for w in text.split() if w.casefold() not in pattern.drop]
    settings: dict[str, object] = {
        "PREFER_DATES_FROM": pattern.prefer,
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if pattern.kind == "absolute":
        settings["REQUIRE_PARTS"] = REQUIRED_PARTS[pattern.precision]
    elif pattern.kind == "yearless":
        settings["REQUIRE_PARTS"] = ["day", "month"]
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    elif pattern.kind != "absolute":
        return None  # never read against today's date
    parsed = dateparser.parse(" ".join(words), languages=[pattern.lang], settings=settings)
    if parsed is None:
        return None
    value = parsed.date()
    if base is not None and pattern.same_day and (base - value).days == 7:
        return base  # `dimanche` in an article of a Sunday: that very day
    if pattern.precision == "month":
        return value.replace(day=1)
    if pattern.precision == "year":
        return dt.date(value.year, 1, 1)
    return value


def infer_year(day_month: dt.date, anchors: Iterable[dt.date]) -> dt.date | None:
    """The only year in which a year-less day lies near one of the article's full dates."""
    candidates = set()
    for anchor in anchors:
        for year in (anchor.year - 1, anchor.year, anchor.year + 1):
            try:
                candidate = day_month.replace(year=year)
            except ValueError:  # 29 February
                continue
            if abs((candidate - anchor).days) <= INFERENCE_WINDOW_DAYS:
                candidates.add(candidate)
    return candidates.pop() if len(candidates) == 1 else None


def resolve_article_dates(
    article: Article, found: list[tuple[int, FoundDate]]
) -> list[DateMention]:
    """Normalise the date expressions of one article (paragraph index, found date)."""
    texts = article.normalised_paragraphs
    explicit: dict[tuple[int, int], dt.date | None] = {}
    for paragraph, item in found:
        if item.pattern.kind == "absolute":
            text = texts[paragraph][item.start : item.end]
            explicit[paragraph, item.start] = parse_date(text, item.pattern, None)
    anchors = sorted(
        (value, paragraph, item)
        for paragraph, item in found
        if item.pattern.kind == "absolute" and item.pattern.precision == "day"
        for value in [explicit[paragraph, item.start]]
        if value is not None
    )
    mentions = []
    for paragraph, item in found:
        text = texts[paragraph][item.start : item.end]
        value, basis, source = None, "unresolved", None
        if item.pattern.kind == "absolute":
            value = explicit[paragraph, item.start]
            basis = "explicit" if value else "unresolved"
        elif article.date is not None:
            value = parse_date(text, item.pattern, article.date)
            basis = "publication" if value else "unresolved"
        elif item.pattern.kind == "yearless" and anchors:
            value, source = _inferred(text, item.pattern, anchors, texts)
            basis = "inferred" if value else "unresolved"
        mentions.append(
            DateMention(
                article=article.slug,
                paragraph=paragraph,
                start=item.start,
                end=item.end,
                text=article.paragraphs[paragraph][item.start : item.end],
                kind=item.pattern.kind,
                value=value,
                precision=item.pattern.precision if value else "unknown",
                basis=basis,
                inferred_from=source,
            )
        )
    return mentions


def _inferred(
    text: str,
    pattern: DatePattern,
    anchors: list[tuple[dt.date, int, FoundDate]],
    texts: tuple[str, ...],
) -> tuple[dt.date | None, str | None]:
    # Read the day and month against any base (the year is replaced below).
    day_month = parse_date(text, pattern, anchors[0][0])
    if day_month is None:
        return None, None
    value = infer_year(day_month, [anchor for anchor, _, _ in anchors])
    if value is None:
        return None, None
    nearest = min(anchors, key=lambda a: (abs((a[0] - value).days), a[0]))
    _, paragraph, item = nearest
    return value, texts[paragraph][item.start : item.end]


def date_mentions(articles: Iterable[Article], nlp: Language) -> list[DateMention]:
    """Every date expression of the articles, normalised (tokeniser only: fast)."""
    matcher, rules = date_matcher(nlp)
    mentions: list[DateMention] = []
    for article in articles:
        found: list[tuple[int, FoundDate]] = []
        for index, text in enumerate(article.normalised_paragraphs):
            found.extend((index, item) for item in find_dates(nlp.make_doc(text), matcher, rules))
        mentions.extend(resolve_article_dates(article, found))
    return mentions
