"""Scoring: pages (what a reader sees as entities) measured against the gold entities.

A gold surface is *found on a page* when one of that page's mentions in that article
overlaps one of its occurrences (see `generator.evaluate.gold`), with one of the two spans
inside the other (so `Maqsoud` for `général Maqsoud`, or `Etat islamique` for
`l'Etat islamique`, count; a mention that swallows a whole clause does too, and then
spoils the alias groups of every gold entity it swallows). A mention longer than the
surface holds it only when they are the same entity: not when a longer surface of another
gold entity lies inside the mention (`Zaporijjia` in `centrale nucléaire de Zaporijjia`).

Scores:
- a gold surface that does not occur in the article's body (only in its title, which the
  dossier shows as written but does not extract from) is not scored, and is listed;
- each gold entity is credited to the page holding most of its surfaces; it is *found*
  when that page has its type and all its surfaces, and is credited to no other gold
  entity (one page, one entity);
- recall = found gold entities / gold entities (per gold type); precision = pages credited
  with a found entity / pages (per page type); F1 their harmonic mean;
- an alias group (a gold entity with two or more different folded surfaces) is *right*
  when all its surfaces are on one page that holds no surface of another gold entity;
- an `optional` gold entity is neither required (not in recall, nor in the alias groups)
  nor held against precision: a page that holds only optional surfaces is not counted;
- the pages held against precision are listed, with why (no gold surface, or surfaces of
  entities found elsewhere).
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
    extra: list[str] = field(default_factory=list)  # pages held against precision, with why
    page_of: dict[str, str] = field(default_factory=dict)  # gold name -> its best page's name

    def as_dict(self) -> dict[str, Any]:
        return {
            "scores": {k: vars(v) for k, v in self.scores.items()},
            "alias_groups_right": self.alias_groups_right,
            "alias_groups": self.alias_groups,
            "missed": self.missed,
            "wrong_groups": self.wrong_groups,
            "events": self.events,
            "not_in_text": self.not_in_text,
            "extra": self.extra,
        }


# --- surface matching ------------------------------------------------------------------


def _nested(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])


Where = tuple[str, int]  # (article slug, paragraph)


class _Holders:
    """Which pages hold each gold surface: a page's mention in that article overlaps an
    occurrence of the surface, one inside the other. A mention longer than the surface
    holds it only when no longer surface of another gold entity lies inside the mention
    (`centrale nucléaire de Zaporijjia` holds the plant, not the city `Zaporijjia`)."""

    def __init__(self, gold: list[GoldEntity], pages: list[Page], articles: list[Article]):
        slugs = {name: a.slug for a in articles for name in (a.filename, *a.aliases)}
        slugs.update({Path(name).name: slug for name, slug in list(slugs.items())})
        self.slugs = slugs
        self.texts = {a.slug: a.paragraphs for a in articles}
        self.mentions: defaultdict[Where, list[tuple[int, int, int]]] = defaultdict(list)
        for number, page in enumerate(pages):
            for m in page.mentions:
                self.mentions[m.article, m.paragraph].append((m.start, m.end, number))
        self.gold: defaultdict[Where, list[tuple[int, int, str]]] = defaultdict(list)
        for g in gold:
            for filename, surface in g.surfaces:
                for paragraph, start, end in self.occurrences(filename, surface):
                    self.gold[slugs[filename], paragraph].append((start, end, g.name))

    def occurrences(self, filename: str, surface: str) -> list[tuple[int, int, int]]:
        slug = self.slugs.get(filename)
        return [] if slug is None else occurrences(surface, self.texts[slug])

    def pages_with(self, name: str, filename: str, surface: str) -> set[int]:
        slug = self.slugs.get(filename, "")
        held: set[int] = set()
        for paragraph, start, end in self.occurrences(filename, surface):
            for m_start, m_end, number in self.mentions[slug, paragraph]:
                if not _nested((start, end), (m_start, m_end)):
                    continue
                if m_end - m_start > end - start and self._another_inside(
                    (slug, paragraph), (m_start, m_end), end - start, name
                ):
                    continue
                held.add(number)
        return held

    def _another_inside(
        self, where: Where, mention: tuple[int, int], length: int, name: str
    ) -> bool:
        return any(
            other != name and mention[0] <= start and end <= mention[1] and end - start > length
            for start, end, other in self.gold[where]
        )


# --- scoring ---------------------------------------------------------------------------


def score(gold: list[GoldEntity], pages: list[Page], articles: list[Article]) -> Report:
    """Score pages against the gold entities (see the module's docstring)."""
    index = _Holders(gold, pages, articles)
    absent = [(g, f, s) for g in gold for f, s in g.surfaces if not index.occurrences(f, s)]
    gold = [g for g in (_without(g, absent) for g in gold) if g.surfaces]
    holders = {g.name: [index.pages_with(g.name, f, s) for f, s in g.surfaces] for g in gold}
    required = [g for g in gold if not g.optional]
    optional = {g.name for g in gold if g.optional}
    best = {g.name: _best_page(holders[g.name]) for g in gold}
    credited: dict[int, str] = {}
    for g in sorted(gold, key=lambda g: (g.optional, -len(g.surfaces), g.name)):
        chosen = best[g.name]
        if chosen is not None and chosen not in credited:
            credited[chosen] = g.name
    owners = _owners(holders)
    uncounted = {n for n, names in owners.items() if names <= optional}
    counted = [n for n in range(len(pages)) if n not in uncounted]
    found: set[str] = set()
    missed: list[str] = []
    for g in required:
        why = _why_missed(g, best[g.name], pages, holders[g.name], credited)
        if why:
            missed.append(f"{g.name} ({g.type}): {why}")
        else:
            found.add(g.name)
    right, wrong = _alias_groups(required, holders, optional)
    correct = {n for n in counted if credited.get(n) in found}
    scores = {
        kind: _scores(
            found=sum(g.name in found for g in required if g.type == kind),
            gold=sum(g.type == kind for g in required),
            correct=sum(pages[n].type == kind for n in correct),
            pages=sum(pages[n].type == kind for n in counted),
        )
        for kind in TYPES
    }
    scores["overall"] = _scores(len(found), len(required), len(correct), len(counted))
    groups = sum(g.is_alias_group for g in required)
    skipped = [f"{s} ({f}): not in the article's body" for _, f, s in absent]
    extra = [_why_extra(pages[n], owners.get(n, set())) for n in counted if n not in correct]
    page_of = {name: pages[n].name for name, n in best.items() if n is not None}
    return Report(
        scores, right, groups, missed, wrong, not_in_text=skipped, extra=extra, page_of=page_of
    )


def _owners(holders: dict[str, list[set[int]]]) -> dict[int, set[str]]:
    """The gold entities with a surface on each page."""
    owners: dict[int, set[str]] = defaultdict(set)
    for name, held in holders.items():
        for numbers in held:
            for number in numbers:
                owners[number].add(name)
    return owners


def _why_extra(page: Page, names: set[str]) -> str:
    """Why a page counts against precision."""
    label = f"{page.name} ({page.type})"
    if not names:
        return f"{label}: holds no gold surface"
    return f"{label}: holds surfaces of {', '.join(sorted(names))} but is credited to none found"


def _without(g: GoldEntity, absent: list[tuple[GoldEntity, str, str]]) -> GoldEntity:
    gone = {(f, s) for owner, f, s in absent if owner is g}
    return GoldEntity(g.name, g.type, tuple(x for x in g.surfaces if x not in gone), g.optional)


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
    gold: list[GoldEntity], holders: dict[str, list[set[int]]], optional: set[str]
) -> tuple[int, list[str]]:
    owners = _owners(holders)
    right = 0
    wrong: list[str] = []
    for g in gold:
        if not g.is_alias_group:
            continue
        common = set.intersection(*holders[g.name])
        clean = [n for n in common if owners[n] - optional == {g.name}]
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
