"""Scoring: pages (what a reader sees as entities) measured against the gold entities.

A gold surface is *found on a page* when one of that page's mentions in that article
overlaps one of its occurrences (see `generator.evaluate.gold`), with one of the two spans
inside the other (so `Maqsoud` for `général Maqsoud`, or `Etat islamique` for
`l'Etat islamique`, count; a mention that swallows a whole clause does too, and then
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
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.evaluate.events import EventScores
from generator.evaluate.gold import GoldEntity, occurrences
from generator.nlp.mentions import TYPES
from generator.records import Article, Mention


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
    events: EventScores | None = None  # event date and place accuracy, see `score_events`
    not_in_text: list[str] = field(default_factory=list)  # gold surfaces not scored

    def as_dict(self) -> dict[str, Any]:
        return {
            "scores": {k: vars(v) for k, v in self.scores.items()},
            "alias_groups_right": self.alias_groups_right,
            "alias_groups": self.alias_groups,
            "missed": self.missed,
            "wrong_groups": self.wrong_groups,
            "events": self.events,
            "not_in_text": self.not_in_text,
        }


# --- surface matching ------------------------------------------------------------------


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
        chosen = best[g.name]
        if chosen is not None and chosen not in credited:
            credited[chosen] = g.name
    found: set[str] = set()
    missed: list[str] = []
    for g in gold:
        why = _why_missed(g, best[g.name], pages, holders[g.name], credited)
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
    g: GoldEntity,
    page: int | None,
    pages: list[Page],
    holders: list[set[int]],
    credited: dict[int, str],
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


def _alias_groups(
    gold: list[GoldEntity], holders: dict[str, list[set[int]]]
) -> tuple[int, list[str]]:
    owners: dict[int, set[str]] = defaultdict(set)
    for name, held in holders.items():
        for pages in held:
            for number in pages:
                owners[number].add(name)
    right = 0
    wrong: list[str] = []
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
