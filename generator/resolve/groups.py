"""A group: the mentions that resolution believes to be one entity, what anchors it (a
curated or known entity, a gazetteer place), and the vote that types it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from generator.corrections.entities import CuratedEntity
from generator.nlp.lexicon import KnownOrganisation
from generator.records import Decision, Mention
from generator.resolve.gazetteer import Place

CUE_WEIGHT = 2  # a context cue (`la localité de X`) outweighs the model's label
TYPE_ORDER = {"place": 0, "organisation": 1, "person": 2}  # tie-break of the vote


@dataclass
class Group:
    """Mentions believed to be one entity, while resolution runs."""

    key: str
    mentions: list[Mention] = field(default_factory=list)
    curated: CuratedEntity | None = None
    known: KnownOrganisation | None = None
    place: Place | None = None
    decisions: list[Decision] = field(default_factory=list)

    def absorb(self, other: Group, decision: Decision | None = None) -> None:
        """Take the mentions and decisions of another group (and its place if none)."""
        self.mentions.extend(other.mentions)
        self.decisions.extend(other.decisions)
        if decision:
            self.decisions.append(decision)
        self.place = self.place or other.place

    @property
    def anchored(self) -> bool:
        """Curated or known: its name and type are given, not found."""
        return self.curated is not None or self.known is not None


def surfaces(group: Group) -> tuple[str, ...]:
    """The texts of a group's mentions, sorted: what a decision quotes."""
    return tuple(sorted({m.text for m in group.mentions}))


def voted_type(group: Group) -> tuple[str, float]:
    """The type of a group and the share of the votes it got."""
    if group.curated is not None and group.curated.type:
        return group.curated.type, 1.0
    if group.known is not None:
        return group.known["type"], 1.0
    votes = type_votes(group)
    kind = min(votes, key=lambda t: (-votes[t], TYPE_ORDER[t]))
    return kind, round(votes[kind] / sum(votes.values()), 2)


def type_is_voted(group: Group) -> bool:
    """Whether the type comes from the vote (not from the corrections or known names)."""
    return not (group.curated is not None and group.curated.type) and group.known is None


def type_votes(group: Group) -> Counter[str]:
    """The type votes of a group's mentions: a model label 1, a context cue 2, a
    gazetteer place 1 more per mention."""
    votes: Counter[str] = Counter()
    for m in group.mentions:
        votes[m.type] += CUE_WEIGHT if m.origin == "model" and m.evidence else 1
    if group.place is not None:
        votes["place"] += len(group.mentions)
    return votes


def may_merge(a: Group, b: Group) -> bool:
    """Never two curated or known entities, nor two different gazetteer places."""
    if a.anchored and b.anchored:
        return False
    return a.place is None or b.place is None or a.place.id == b.place.id
