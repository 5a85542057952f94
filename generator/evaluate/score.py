"""Evaluate: measure extraction against a hand annotation (gold file).

Gold format (`tests/gold/seeds.yml`): per article file, a list of entities with a
canonical `name`, a `type` and the `surface` forms that refer to it in that article, as
written there. Gold entities with the same name in several articles are one entity.

How a gold surface is matched: the surface and the article text are folded the same way
(case, accents, typographic quotes and apostrophes, punctuation and hyphens, runs of
spaces), and the surface is looked up as whole words. A surface is *found on a page* when
one of that page's mentions in that article overlaps one of its occurrences, with one of
the two spans inside the other (so `Maqsoud` for `général Maqsoud`, or `Etat islamique`
for `l'Etat islamique`, count; a mention that swallows a whole clause does too, and then
spoils the alias groups of every gold entity it swallows).

Scores:
- a gold surface that does not occur in the article's body (only in its title, which the
  dossier shows as written but does not extract from) is not scored, and is listed;
- each gold entity is credited to the page holding most of its surfaces; it is *found*
  when that page has its type and all its surfaces, and is credited to no other gold
  entity (one page, one entity);
- recall = found gold entities / gold entities (per gold type); precision = pages credited
  with a found entity / pages (per page type); F1 their harmonic mean;
- an alias group (a gold entity with two or more different folded surfaces) is *right*
  when all its surfaces are on one page that holds no surface of another gold entity.

The raw baseline is the model's NER alone (no entity ruler, no cleaning, no resolution):
one page per distinct surface string, typed by its most frequent label.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from spacy.language import Language

from generator.corrections.entities import Corrections, load_corrections
from generator.events.dates import date_mentions
from generator.events.find import find_events
from generator.ingest.read import read_articles
from generator.nlp.extract import LABELS, TYPES, extract_mentions, load_pipeline
from generator.records import Article, Entity, Event, Mention
from generator.resolve.entities import resolve
from generator.settings import Settings
from generator.text import fold, normalise_typography


class GoldError(ValueError):
    """A gold file that cannot be read; the message names the file."""


@dataclass(frozen=True)
class GoldEntity:
    name: str
    type: str
    surfaces: tuple[tuple[str, str], ...]  # (article filename, surface as written)

    @property
    def is_alias_group(self) -> bool:
        return len({fold_aligned(s).strip() for _, s in self.surfaces}) > 1


@dataclass(frozen=True)
class Page:
    """What a reader sees as one entity: a name, a type and the mentions it gathers."""

    name: str
    type: str
    mentions: tuple[Mention, ...]


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    found: int  # gold entities found
    gold: int  # gold entities
    pages: int  # pages of this type


@dataclass
class Report:
    scores: dict[str, Scores]  # per type, and "overall"
    alias_groups_right: int
    alias_groups: int
    missed: list[str] = field(default_factory=list)  # gold entities not found, with why
    wrong_groups: list[str] = field(default_factory=list)
    events: dict | None = None  # event date and place accuracy, see `score_events`
    not_in_text: list[str] = field(default_factory=list)  # gold surfaces not scored

    def as_dict(self) -> dict:
        return {
            "scores": {k: vars(v) for k, v in self.scores.items()},
            "alias_groups_right": self.alias_groups_right,
            "alias_groups": self.alias_groups,
            "missed": self.missed,
            "wrong_groups": self.wrong_groups,
            "events": self.events,
            "not_in_text": self.not_in_text,
        }


# --- gold ------------------------------------------------------------------------------


def load_gold(path: Path) -> list[GoldEntity]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise GoldError(f"{path}: cannot read gold file: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("articles"), dict):
        raise GoldError(f"{path}: expected a mapping `articles: {{file: {{entities: [...]}}}}`")
    merged: dict[str, dict] = {}
    for filename, article in sorted(data["articles"].items()):
        for entry in (article or {}).get("entities") or []:
            name, kind = entry.get("name"), entry.get("type")
            if not name or kind not in TYPES:
                raise GoldError(f"{path}: {filename}: bad entity {entry!r}")
            slot = merged.setdefault(name, {"type": kind, "surfaces": []})
            if slot["type"] != kind:
                raise GoldError(f"{path}: {name!r} has two types ({slot['type']}, {kind})")
            slot["surfaces"].extend((filename, str(s)) for s in entry.get("surface") or [name])
    return [
        GoldEntity(name, slot["type"], tuple(dict.fromkeys(slot["surfaces"])))
        for name, slot in sorted(merged.items())
    ]


# --- surface matching ------------------------------------------------------------------


def fold_aligned(text: str) -> str:
    """Fold case, accents and punctuation one character to one, keeping offsets valid."""
    out = []
    for char in normalise_typography(text):
        base = unicodedata.normalize("NFD", char)[:1].lower()
        out.append(base if len(base) == 1 and base.isalnum() else " ")
    return "".join(out)


def surface_pattern(surface: str) -> re.Pattern[str]:
    words = fold_aligned(surface).split()
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)")


def occurrences(surface: str, paragraphs: Iterable[str]) -> list[tuple[int, int, int]]:
    """(paragraph, start, end) of every whole-word occurrence of a surface."""
    pattern = surface_pattern(surface)
    return [
        (index, match.start(), match.end())
        for index, paragraph in enumerate(paragraphs)
        for match in pattern.finditer(fold_aligned(paragraph))
    ]


def _nested(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])


# --- scoring ---------------------------------------------------------------------------


def score(gold: list[GoldEntity], pages: list[Page], articles: list[Article]) -> Report:
    slugs = {name: a.slug for a in articles for name in (a.filename, *a.aliases)}
    slugs.update({Path(name).name: slug for name, slug in list(slugs.items())})
    texts = {a.slug: a.paragraphs for a in articles}
    by_span: dict[tuple[str, int], list[tuple[int, int, int]]] = defaultdict(list)
    for number, page in enumerate(pages):
        for m in page.mentions:
            by_span[m.article, m.paragraph].append((m.start, m.end, number))

    def _in_body(filename: str, surface: str) -> bool:
        slug = slugs.get(filename)
        return slug is not None and bool(occurrences(surface, texts[slug]))

    def pages_with(filename: str, surface: str) -> set[int]:
        slug = slugs.get(filename)
        if slug is None:
            return set()
        return {
            number
            for paragraph, start, end in occurrences(surface, texts[slug])
            for m_start, m_end, number in by_span[slug, paragraph]
            if _nested((start, end), (m_start, m_end))
        }

    absent = [(g, f, s) for g in gold for f, s in g.surfaces if not _in_body(f, s)]
    gold = [_without(g, absent) for g in gold]
    gold = [g for g in gold if g.surfaces]
    holders = {g.name: [pages_with(f, s) for f, s in g.surfaces] for g in gold}
    best = {g.name: _best_page(holders[g.name]) for g in gold}
    credited: dict[int, str] = {}
    for g in sorted(gold, key=lambda g: (-len(g.surfaces), g.name)):
        page = best[g.name]
        if page is not None and page not in credited:
            credited[page] = g.name
    found: set[str] = set()
    missed: list[str] = []
    for g in gold:
        page = best[g.name]
        why = _why_missed(g, page, pages, holders[g.name], credited)
        if why:
            missed.append(f"{g.name} ({g.type}): {why}")
        else:
            found.add(g.name)
    right, wrong = _alias_groups(gold, holders)
    scores = {
        kind: _scores(
            found=sum(g.name in found for g in gold if g.type == kind),
            gold=sum(g.type == kind for g in gold),
            correct=sum(1 for p, n in credited.items() if n in found and pages[p].type == kind),
            pages=sum(p.type == kind for p in pages),
        )
        for kind in TYPES
    }
    scores["overall"] = _scores(
        found=len(found),
        gold=len(gold),
        correct=sum(1 for n in credited.values() if n in found),
        pages=len(pages),
    )
    groups = sum(g.is_alias_group for g in gold)
    skipped = [f"{s} ({f}): not in the article's body" for _, f, s in absent]
    return Report(scores, right, groups, missed, wrong, not_in_text=skipped)


def _without(g: GoldEntity, absent: list[tuple[GoldEntity, str, str]]) -> GoldEntity:
    gone = {(f, s) for owner, f, s in absent if owner is g}
    return GoldEntity(g.name, g.type, tuple(x for x in g.surfaces if x not in gone))


def _best_page(holders: list[set[int]]) -> int | None:
    counts = Counter(number for pages in holders for number in pages)
    if not counts:
        return None
    return min(counts, key=lambda n: (-counts[n], n))


def _why_missed(
    g: GoldEntity, page: int | None, pages: list[Page], holders: list[set[int]], credited: dict
) -> str | None:
    if page is None:
        return "not extracted"
    if credited.get(page) != g.name:
        return f"its page {pages[page].name!r} is {credited.get(page)!r}'s"
    if pages[page].type != g.type:
        return f"typed {pages[page].type} on {pages[page].name!r}"
    lost = [
        f"{s} ({f})" for (f, s), held in zip(g.surfaces, holders, strict=True) if page not in held
    ]
    if lost:
        return f"{', '.join(lost)} not on {pages[page].name!r}"
    return None


def _alias_groups(gold: list[GoldEntity], holders: dict[str, list[set[int]]]) -> tuple[int, list]:
    owners: dict[int, set[str]] = defaultdict(set)
    for name, held in holders.items():
        for pages in held:
            for number in pages:
                owners[number].add(name)
    right, wrong = 0, []
    for g in gold:
        if not g.is_alias_group:
            continue
        common = set.intersection(*holders[g.name])
        clean = [n for n in common if owners[n] == {g.name}]
        if clean:
            right += 1
        else:
            surfaces = ", ".join(sorted({s for _, s in g.surfaces}))
            wrong.append(f"{g.name}: [{surfaces}] not alone together on one page")
    return right, wrong


def _scores(found: int, gold: int, correct: int, pages: int) -> Scores:
    recall = found / gold if gold else 0.0
    precision = correct / pages if pages else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(round(precision, 3), round(recall, 3), round(f1, 3), found, gold, pages)


# --- the two systems -------------------------------------------------------------------


def entity_pages(entities: Iterable[Entity]) -> list[Page]:
    return [Page(e.name, e.type, e.mentions) for e in entities]


def raw_pages(articles: list[Article], nlp: Language) -> list[Page]:
    """The model's NER alone: one page per distinct surface string, majority label."""
    rulers = [name for name in nlp.pipe_names if name.endswith("ruler")]
    by_text: dict[str, list[Mention]] = defaultdict(list)
    with nlp.select_pipes(disable=rulers):
        items = [
            (paragraph, (article.slug, index))
            for article in articles
            for index, paragraph in enumerate(article.normalised_paragraphs)
        ]
        for doc, (slug, index) in nlp.pipe(items, as_tuples=True):
            for ent in doc.ents:
                kind = LABELS.get(ent.label_)
                if kind:
                    by_text[ent.text].append(
                        Mention(
                            slug,
                            index,
                            ent.start_char,
                            ent.end_char,
                            ent.text,
                            kind,
                            "",
                            0,
                            "model",
                        )
                    )
    pages = []
    for text, mentions in sorted(by_text.items()):
        votes = Counter(m.type for m in mentions)
        pages.append(Page(text, votes.most_common(1)[0][0], tuple(mentions)))
    return pages


def evaluate(
    gold: list[GoldEntity],
    articles: list[Article],
    nlp: Language,
    corrections: Corrections,
    gold_events: list[GoldEvent] | None = None,
) -> tuple[Report, Report]:
    """(the dossier's extraction, the raw model) scored against the gold entities."""
    entities = resolve(extract_mentions(articles, nlp), corrections)
    report = score(gold, entity_pages(entities), articles)
    if gold_events:
        events = find_events(articles, entities, date_mentions(articles, nlp), nlp)
        report.events = score_events(gold_events, articles, events)
    return report, score(gold, raw_pages(articles, nlp), articles)


# --- events ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldEvent:
    filename: str
    what: str
    where: tuple[str, ...]
    when: dt.date | None


def load_gold_events(path: Path) -> list[GoldEvent]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    events = []
    for filename, article in sorted((data.get("articles") or {}).items()):
        for entry in (article or {}).get("events") or []:
            when = entry.get("when")
            if when is not None and not isinstance(when, dt.date):
                raise GoldError(f"{path}: {filename}: event date {when!r} is not YYYY-MM-DD")
            where = tuple(str(w) for w in entry.get("where") or [])
            events.append(GoldEvent(filename, str(entry.get("what", "")), where, when))
    return events


def score_events(gold: list[GoldEvent], articles: list[Article], events: list[Event]) -> dict:
    """Each gold event is matched with the event, told by its article, that shares the most
    places with it (then the right date). Place recall is over the gold events' places;
    date accuracy over the gold events that have a date."""
    slug_of = {a.filename: a.slug for a in articles}
    places_right = places_total = dated = dates_right = found = 0
    missed = []
    for item in gold:
        told = [e for e in events if slug_of.get(item.filename) in e.articles]
        wanted = {fold(w) for w in item.where}

        def fit(event: Event, wanted: set[str] = wanted, item: GoldEvent = item) -> tuple:
            return (len(wanted & {fold(p.name) for p in event.places}), event.date == item.when)

        best = max(told, key=fit, default=None)
        overlap = fit(best)[0] if best else 0
        places_right += overlap
        places_total += len(wanted)
        found += overlap > 0
        if item.when is not None:
            dated += 1
            dates_right += bool(best and overlap and best.date == item.when)
        if not best or not overlap or (item.when and best.date != item.when):
            got = f"{best.title}" if best and overlap else "no event with its places"
            missed.append(f"{item.filename}: {item.what} ({item.when or 'sans date'}) -> {got}")
    return {
        "gold": len(gold),
        "found": found,
        "place_recall": round(places_right / places_total, 3) if places_total else 0.0,
        "dated": dated,
        "dates_right": dates_right,
        "date_accuracy": round(dates_right / dated, 3) if dated else 0.0,
        "missed": missed,
    }


def format_reports(dossier: Report, raw: Report) -> str:
    lines = [
        f"{'':14}{'dossier':>26}   {'raw NER':>26}",
        f"{'':14}{'P':>7}{'R':>7}{'F1':>7}{'n':>5}   {'P':>7}{'R':>7}{'F1':>7}{'n':>5}",
    ]
    for kind in (*TYPES, "overall"):
        a, b = dossier.scores[kind], raw.scores[kind]
        lines.append(
            f"{kind:14}{a.precision:7.3f}{a.recall:7.3f}{a.f1:7.3f}{a.gold:5}"
            f"   {b.precision:7.3f}{b.recall:7.3f}{b.f1:7.3f}{b.gold:5}"
        )
    lines.append(
        f"{'alias groups':14}{f'{dossier.alias_groups_right}/{dossier.alias_groups} right':>26}"
        f"   {f'{raw.alias_groups_right}/{raw.alias_groups} right':>26}"
    )
    lines.append(
        f"{'pages':14}{dossier.scores['overall'].pages:>26}   {raw.scores['overall'].pages:>26}"
    )
    if dossier.events:
        ev = dossier.events
        lines.append(
            f"{'events':14}{ev['found']}/{ev['gold']} found, place recall "
            f"{ev['place_recall']:.3f}, dates {ev['dates_right']}/{ev['dated']} right "
            f"({ev['date_accuracy']:.3f})"
        )
        lines.extend(f"  - event: {m}" for m in ev["missed"])
    for title, items in (
        ("missed", dossier.missed),
        ("wrong alias groups", dossier.wrong_groups),
        (
            "not scored (the dossier reads article bodies; titles are shown as written)",
            dossier.not_in_text,
        ),
    ):
        if items:
            lines.append(f"{title}:")
            lines.extend(f"  - {item}" for item in items)
    return "\n".join(lines)


def evaluate_settings(
    gold_path: Path, settings: Settings, use_corrections: bool = True
) -> tuple[Report, Report]:
    """Read the gold file and the articles, load the model, score both systems."""
    gold = load_gold(gold_path)
    articles = read_articles(settings.articles_dir).articles
    corrections = load_corrections(settings.corrections_file if use_corrections else None)
    nlp = load_pipeline(settings.model, corrections.ruler_entries())
    return evaluate(gold, articles, nlp, corrections, load_gold_events(gold_path))
