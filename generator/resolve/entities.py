"""Resolve: group mentions into entities.

Rules, in the order they apply (each one testable on its own, see tests/test_resolve.py):
1. the corrections file wins: its aliases, types, names and rejections are applied first
   and never second-guessed;
2. known organisations (data/organisations.yml) gather their aliases, and generic bodies
   (data/generic_organisations.yml) their forms: `forces irakiennes` = `armée irakienne`;
3. mentions with the same name key (case, accents, hyphens, leading articles and titles
   folded) are one entity; a handle (`@RTenfrancais`) joins the name just before it;
4. a bare body (`la force aérienne`) joins the one body of its kind in the dossier;
5. names of one gazetteer place are one entity (`Mossoul` = `Mosul`);
6. a surname-only person mention joins the unique full name that ends with it;
7. transliteration variants (`Maqsood`/`Maqsoud`, `Albou Kamal`/`Abou Kamal`) merge when
   their keys are similar enough (rapidfuzz ratio), unless both sides are curated or
   known, or are two different gazetteer places;
8. the type is the vote of the mentions (a context cue counts double, a gazetteer place
   adds a place vote per mention); a curated or known type wins.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from slugify import slugify

from generator.corrections.entities import Corrections, CuratedEntity
from generator.nlp.bodies import Bodies, load_bodies
from generator.nlp.extract import Lexicon, load_known_organisations, load_lexicon
from generator.records import Decision, Entity, Mention
from generator.resolve.gazetteer import Gazetteer, Place, load_gazetteer
from generator.text import fold

FUZZY_THRESHOLD = 90  # rapidfuzz ratio on name keys; see README, "Resolution"
SURNAME_THRESHOLD = 80  # ratio between a lone surname and the last word of a full name
FUZZY_MIN_LENGTH = 5  # shorter keys (`Alep`, `Irak`) are never fuzzy-matched
HANDLE_GAP = 3  # at most ` (` between a name and its handle
CUE_WEIGHT = 2  # a context cue (`la localité de X`) outweighs the model's label
TYPE_ORDER = {"place": 0, "organisation": 1, "person": 2}  # tie-break of the vote


@dataclass
class _Group:
    """Mentions believed to be one entity, while resolution runs."""

    key: str
    mentions: list[Mention] = field(default_factory=list)
    curated: CuratedEntity | None = None
    known: dict | None = None
    place: Place | None = None
    decisions: list[Decision] = field(default_factory=list)

    def absorb(self, other: _Group, decision: Decision | None = None) -> None:
        self.mentions.extend(other.mentions)
        self.decisions.extend(other.decisions)
        if decision:
            self.decisions.append(decision)
        self.place = self.place or other.place

    @property
    def anchored(self) -> bool:
        return self.curated is not None or self.known is not None


# --- resolution ------------------------------------------------------------------------


def name_key(surface: str, lexicon: Lexicon) -> str:
    """Fold a surface form, strip leading articles and titles: `le général X` -> `x`."""
    words = fold(surface).split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        if words[0] in lexicon.leading_words:
            words, changed = words[1:], True
            continue
        joined = " ".join(words)
        for title in lexicon.titles:
            if joined.startswith(title + " "):
                words, changed = joined[len(title) + 1 :].split(), True
                break
    return " ".join(words)


def resolve(
    mentions: Iterable[Mention],
    corrections: Corrections | None = None,
    lexicon: Lexicon | None = None,
    known: list[dict] | None = None,
    gazetteer: Gazetteer | None = None,
    bodies: Bodies | None = None,
) -> list[Entity]:
    """Group mentions into entities. Data not given is loaded from the package."""
    corrections = corrections or Corrections()
    lexicon = lexicon or load_lexicon()
    known = load_known_organisations() if known is None else known
    gazetteer = load_gazetteer() if gazetteer is None else gazetteer
    bodies = load_bodies() if bodies is None else bodies
    anchors = _anchor_groups(corrections, known, lexicon)
    groups: dict[str, _Group] = {}
    bare: list[tuple[Mention, str]] = []
    last: dict[tuple[str, int], tuple[int, _Group]] = {}  # where the last mention ended
    for mention in mentions:
        folded = fold(mention.text)
        key = name_key(mention.text, lexicon)
        if folded in corrections.rejected or key in corrections.rejected or not key:
            continue
        if key in lexicon.rejected:
            continue
        group = _curated_split(mention, corrections, anchors) or _handle_owner(mention, last)
        kind = bodies.bare_kind(mention.text)
        if group is None and kind is not None and not anchors.get(folded):
            bare.append((mention, kind))
            continue
        if group is None:
            group = anchors.get(folded) or anchors.get(key)
        if group is None:
            body = bodies.canonical_name(mention.text)
            if body is not None and anchors.get(fold(body)):
                group = anchors[fold(body)]  # `Iraqi army` joins a curated `armée irakienne`
            elif body is not None:
                entry = {"name": body, "type": "organisation", "aliases": []}
                entry["kind"] = bodies.kinds[body]
                group = groups.setdefault(f"body:{body}", _Group(fold(body), known=entry))
            else:
                group = groups.setdefault(key, _Group(key))
        group.mentions.append(mention)
        last[mention.article, mention.paragraph] = (mention.end, group)
    found = [g for g in _unique(anchors.values()) if g.mentions] + sorted(
        groups.values(), key=lambda g: g.key
    )
    found = _join_bare_bodies(found, bare)
    _locate(found, gazetteer)
    found = _merge_same_places(found)
    found = _join_surnames(found)
    found = _merge_variants(found)
    return _to_entities(found)


def _curated_split(
    mention: Mention, corrections: Corrections, anchors: dict[str, _Group]
) -> _Group | None:
    """The curated entity that a `split` entry sends this mention to, if any."""
    for split in corrections.splits:
        if fold(mention.text) == fold(split.surface) and split.article in (None, mention.article):
            return anchors[fold(split.entity)]
    return None


def _handle_owner(mention: Mention, last: dict) -> _Group | None:
    """`RT France (@RTenfrancais)`: a handle right after a name is one of its names."""
    if not mention.text.startswith("@"):
        return None
    end, group = last.get((mention.article, mention.paragraph), (None, None))
    if end is None or not 0 <= mention.start - end <= HANDLE_GAP:
        return None
    return group


def _join_bare_bodies(groups: list[_Group], bare: list[tuple[Mention, str]]) -> list[_Group]:
    """`la force aérienne` joins the one body of its kind (`aviation irakienne`), if one."""
    for mention, kind in bare:
        bodies = [g for g in groups if g.known is not None and g.known.get("kind") == kind]
        if len(bodies) == 1:
            body = bodies[0]
            body.mentions.append(mention)
            only = f"the only {kind} body of the dossier"
            body.decisions.append(Decision("bare body", mention.text, body.key, note=only))
    return groups


def _locate(groups: list[_Group], gazetteer: Gazetteer) -> None:
    """Attach the gazetteer place that a group's name or one of its mentions names."""
    for group in groups:
        if group.known is not None or (group.curated and group.curated.type not in (None, "place")):
            continue
        names = [group.key, *sorted({m.text for m in group.mentions})]
        if group.curated is not None:
            names = [*group.curated.aliases, *names]
        group.place = next((p for p in map(gazetteer.lookup, names) if p is not None), None)


def _merge_same_places(groups: list[_Group]) -> list[_Group]:
    """Names of one gazetteer place are one entity: `Mossoul`, `Mosul`."""
    by_place: dict[str, _Group] = {}
    kept = []
    for group in groups:
        if group.place is None or _vote(group)[0] != "place":
            kept.append(group)
            continue
        first = by_place.get(group.place.id)
        if first is None or (first.curated is not None and group.curated is not None):
            by_place.setdefault(group.place.id, group)
            kept.append(group)
        elif group.curated is not None and first.curated is None:
            group.absorb(first, _same_place(first, group))
            kept[kept.index(first)] = group
            by_place[group.place.id] = group
        else:
            first.absorb(group, _same_place(group, first))
    return kept


def _same_place(joined: _Group, into: _Group) -> Decision:
    place = into.place.name if into.place else ""
    return Decision("same place", joined.key, into.key, _surfaces(joined), note=place)


def _surfaces(group: _Group) -> tuple[str, ...]:
    return tuple(sorted({m.text for m in group.mentions}))


def _anchor_groups(
    corrections: Corrections, known: list[dict], lexicon: Lexicon
) -> dict[str, _Group]:
    """Map each curated or known alias (folded, and as a name key) to its group."""
    anchors: dict[str, _Group] = {}
    for entry in known:
        group = _Group(fold(entry["name"]), known=entry)
        for alias in entry["aliases"]:
            anchors.setdefault(fold(alias), group)
            anchors.setdefault(name_key(alias, lexicon), group)
    for curated in corrections.entities:  # curated entries override known ones
        group = _Group(fold(curated.name), curated=curated)
        for alias in curated.aliases:
            anchors[fold(alias)] = group
            anchors[name_key(alias, lexicon)] = group
    return anchors


def _unique(groups: Iterable[_Group]) -> list[_Group]:
    seen: dict[int, _Group] = {}
    for group in groups:
        seen.setdefault(id(group), group)
    return sorted(seen.values(), key=lambda g: g.key)


def _vote(group: _Group) -> tuple[str, float]:
    """The type of a group and the share of the votes it got."""
    if group.curated is not None and group.curated.type:
        return group.curated.type, 1.0
    if group.known is not None:
        return group.known["type"], 1.0
    votes = _votes(group)
    kind = min(votes, key=lambda t: (-votes[t], TYPE_ORDER[t]))
    return kind, round(votes[kind] / sum(votes.values()), 2)


def _voted(group: _Group) -> bool:
    """Whether the type comes from the vote (not from the corrections or known names)."""
    return not (group.curated is not None and group.curated.type) and group.known is None


def _votes(group: _Group) -> Counter[str]:
    """The type votes of a group's mentions: a model label 1, a context cue 2, a
    gazetteer place 1 more per mention."""
    votes: Counter[str] = Counter()
    for m in group.mentions:
        votes[m.type] += CUE_WEIGHT if m.origin == "model" and m.evidence else 1
    if group.place is not None:
        votes["place"] += len(group.mentions)
    return votes


def _may_merge(a: _Group, b: _Group) -> bool:
    """Never two curated or known entities, nor two different gazetteer places."""
    if a.anchored and b.anchored:
        return False
    return a.place is None or b.place is None or a.place.id == b.place.id


def _join_surnames(groups: list[_Group]) -> list[_Group]:
    """A lone surname joins the one full person name whose last word matches it.

    Surnames and last words are compared through `similar_pairs` (blocked, not all
    pairs); at the surname threshold that finds every match for words of up to ~12
    characters."""
    people = [g for g in groups if _vote(g)[0] == "person"]
    owners: defaultdict[str, list[_Group]] = defaultdict(list)  # last word -> full names
    for group in people:
        if len(group.key.split()) > 1:
            owners[group.key.split()[-1]].append(group)
    surnames = [g for g in people if len(g.key.split()) == 1 and not g.anchored]
    words = [g.key for g in surnames] + sorted(owners)
    matches: defaultdict[int, list[_Group]] = defaultdict(list)  # surname -> full names
    for i, j in similar_pairs(words, SURNAME_THRESHOLD):
        if i < len(surnames) <= j:
            matches[i].extend(owners[words[j]])
    absorbed: set[int] = set()
    for index, found in sorted(matches.items()):
        if len(found) == 1:
            group, full = surnames[index], found[0]
            score = fuzz.ratio(group.key, full.key.split()[-1])
            decision = Decision(
                "surname", group.key, full.key, _surfaces(group), score, SURNAME_THRESHOLD
            )
            full.absorb(group, decision)
            absorbed.add(id(group))
    return [g for g in groups if id(g) not in absorbed]


def _merge_variants(groups: list[_Group]) -> list[_Group]:
    """Union groups whose keys are transliteration variants of each other."""
    parent = list(range(len(groups)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    candidates = [i for i, g in enumerate(groups) if len(g.key) >= FUZZY_MIN_LENGTH]
    keys = [groups[i].key for i in candidates]
    for x, y in similar_pairs(keys, FUZZY_THRESHOLD):
        a, b = root(candidates[x]), root(candidates[y])
        if a == b or not _may_merge(groups[a], groups[b]):
            continue
        keep, drop = (a, b) if groups[a].anchored or not groups[b].anchored else (b, a)
        score = fuzz.ratio(keys[x], keys[y])
        joined, into = groups[drop], groups[keep]
        pair = (keys[y], keys[x]) if drop == b else (keys[x], keys[y])  # (dropped, kept) side
        decision = Decision("fuzzy", *pair, _surfaces(joined), score, FUZZY_THRESHOLD)
        into.absorb(joined, decision)
        parent[drop] = keep
    return [g for i, g in enumerate(groups) if root(i) == i]


def similar_pairs(keys: list[str], threshold: float) -> list[tuple[int, int]]:
    """Index pairs (i < j, sorted) of keys with a rapidfuzz ratio >= threshold.

    Instead of comparing all pairs, keys are blocked by their deletion neighbourhood
    (the key with up to two characters removed): keys within two substitutions,
    insertions or deletions of each other share an entry, so only those are compared,
    in linear time. A ratio >= 90 allows no more than that for keys of up to ~14
    characters, so nothing is missed there; longer keys further apart are not compared."""
    blocks: defaultdict[str, list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        for variant in deletion_neighbourhood(key):
            blocks[variant].append(index)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                if i != j:
                    pairs.add((min(i, j), max(i, j)))
    return sorted(p for p in pairs if fuzz.ratio(keys[p[0]], keys[p[1]]) >= threshold)


def deletion_neighbourhood(key: str, depth: int = 2) -> set[str]:
    found, frontier = {key}, {key}
    for _ in range(depth):
        frontier = {word[:k] + word[k + 1 :] for word in frontier for k in range(len(word))}
        found |= frontier
    return found


def _canonical_name(group: _Group, kind: str) -> str:
    if group.curated is not None:
        return group.curated.name
    if group.known is not None:
        return group.known["name"]
    counts = Counter(m.text for m in group.mentions if not m.text.startswith("@"))
    counts = counts or Counter(m.text for m in group.mentions)
    if kind == "person":  # the fullest form of a name: `Ali Maqsood` over `Maqsoud`
        return min(counts, key=lambda s: (-len(s.split()), -counts[s], s))
    return min(counts, key=lambda s: (-counts[s], -len(s), s))


def _to_entities(groups: list[_Group]) -> list[Entity]:
    entities = []
    for group in groups:
        kind, confidence = _vote(group)
        curated = group.curated
        place = group.place if kind == "place" else None
        coordinates = curated.coordinates if curated and curated.coordinates else None
        mentions = tuple(sorted(group.mentions, key=lambda m: (m.article, m.paragraph, m.start)))
        entities.append(
            Entity(
                slug="",
                name=_canonical_name(group, kind),
                type=kind,
                aliases=tuple(sorted({m.text for m in mentions}, key=lambda s: (fold(s), s))),
                mentions=mentions,
                description=curated.description if curated else None,
                links=curated.links if curated else (),
                coordinates=coordinates or (place.coordinates if place else None),
                origin="curated" if curated else "known" if group.known else "model",
                also_known_as=_names_not_seen(group, {m.text for m in mentions}),
                country=place.country if place else None,
                confidence=confidence,
                decisions=tuple(group.decisions),
                votes=tuple(sorted(_votes(group).items())) if _voted(group) else (),
            )
        )
    entities.sort(key=lambda e: (fold(e.name), e.name, e.type))
    assign_slugs(entities)
    return entities


def _names_not_seen(group: _Group, seen: set[str]) -> tuple[str, ...]:
    """Aliases from the corrections or the known organisations that no article uses."""
    names = set(group.curated.aliases) if group.curated else set()
    names |= set(group.known["aliases"]) if group.known else set()
    return tuple(sorted(names - seen, key=lambda s: (fold(s), s)))


def assign_slugs(entities: list[Entity]) -> None:
    """Stable, unique, filesystem-safe slugs; a collision gets `-2`, `-3` in name order,
    curated entities first so that their pages keep their address whatever the articles
    bring (`Abou Kamal` curated, `Абоу Камал` found: both slugify to `abou-kamal`)."""
    taken: set[tuple[str, str]] = set()
    for entity in sorted(entities, key=lambda e: e.origin != "curated"):  # stable sort
        base = slugify(entity.name, max_length=80, word_boundary=True) or "entite"
        if base == "index":  # `people/index.md` is the section's index page
            base = "index-entite"
        slug, count = base, 1
        while (entity.type, slug) in taken:
            count += 1
            slug = f"{base}-{count}"
        taken.add((entity.type, slug))
        entity.slug = slug
