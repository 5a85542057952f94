"""Resolve: group mentions into entities.

Rules, in the order they apply (each one testable on its own, see tests/test_resolve.py):
1. the corrections file wins: its aliases, types, names and rejections are applied first
   and never second-guessed;
2. known organisations (data/organisations.yml) gather their aliases;
3. mentions with the same name key (case, accents, hyphens, leading articles and titles
   folded) are one entity;
4. a surname-only person mention joins the unique full name that ends with it;
5. transliteration variants (`Maqsood`/`Maqsoud`, `Albou Kamal`/`Abou Kamal`) merge when
   their keys are similar enough (rapidfuzz ratio), unless both sides are curated or known;
6. the type is the majority vote of the mentions (curated or known type first).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import fuzz
from slugify import slugify

from generator.extract import TYPES, Lexicon, Mention, load_known_organisations, load_lexicon
from generator.text import fold

FUZZY_THRESHOLD = 90  # rapidfuzz ratio on name keys; see README, "Resolution"
SURNAME_THRESHOLD = 80  # ratio between a lone surname and the last word of a full name
FUZZY_MIN_LENGTH = 5  # shorter keys (`Alep`, `Irak`) are never fuzzy-matched
TYPE_ORDER = {"place": 0, "organisation": 1, "person": 2}  # tie-break of the vote


class CorrectionsError(ValueError):
    """A corrections file that cannot be applied; the message names the file and line."""


@dataclass(frozen=True)
class CuratedEntity:
    name: str
    type: str | None
    aliases: tuple[str, ...]
    description: str | None = None
    links: tuple[str, ...] = ()
    coordinates: tuple[float, float] | None = None
    line: int = 0


@dataclass(frozen=True)
class Corrections:
    entities: tuple[CuratedEntity, ...] = ()
    rejected: frozenset[str] = frozenset()  # folded surfaces
    path: str | None = None

    def ruler_entries(self) -> list[dict]:
        """Curated names and aliases, for the entity_ruler that runs before the model."""
        return [
            {"name": e.name, "type": e.type, "aliases": list(e.aliases)}
            for e in self.entities
            if e.type
        ]


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


@dataclass
class _Group:
    """Mentions believed to be one entity, while resolution runs."""

    key: str
    mentions: list[Mention] = field(default_factory=list)
    curated: CuratedEntity | None = None
    known: dict | None = None

    @property
    def anchored(self) -> bool:
        return self.curated is not None or self.known is not None


# --- corrections ---------------------------------------------------------------------

ENTITY_KEYS = {"name", "type", "aliases", "description", "links", "coordinates"}


def load_corrections(path: Path | None) -> Corrections:
    """Read and check a corrections file; a missing file means no corrections."""
    if path is None or not path.exists():
        return Corrections()
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise CorrectionsError(f"{path}: not valid YAML: {' '.join(str(error).split())}") from error
    if not isinstance(data, dict):
        raise CorrectionsError(f"{path}:1: expected a mapping with `entities` and `reject`")
    lines = _entity_lines(root)
    unknown = set(data) - {"entities", "reject"}
    if unknown:
        raise CorrectionsError(f"{path}:1: unknown section(s): {', '.join(sorted(unknown))}")
    entities = [
        _curated_entity(entry, path, lines[i] if i < len(lines) else 0)
        for i, entry in enumerate(data.get("entities") or [])
    ]
    _check_unique_aliases(entities, path)
    rejected = frozenset(fold(str(s)) for s in data.get("reject") or [])
    return Corrections(tuple(entities), rejected, str(path))


def _entity_lines(root: yaml.Node | None) -> list[int]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "entities" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _curated_entity(entry: object, path: Path, line: int) -> CuratedEntity:
    where = f"{path}:{line}"
    if not isinstance(entry, dict) or not entry.get("name"):
        raise CorrectionsError(f"{where}: each entity needs at least a `name`")
    unknown = set(entry) - ENTITY_KEYS
    if unknown:
        raise CorrectionsError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    kind = entry.get("type")
    if kind is not None and kind not in TYPES:
        raise CorrectionsError(f"{where}: unknown type {kind!r} (use one of {', '.join(TYPES)})")
    aliases = entry.get("aliases") or []
    if not isinstance(aliases, list):
        raise CorrectionsError(f"{where}: `aliases` must be a list")
    coordinates = entry.get("coordinates")
    if coordinates is not None:
        if not (isinstance(coordinates, list) and len(coordinates) == 2):
            raise CorrectionsError(f"{where}: `coordinates` must be [latitude, longitude]")
        coordinates = (float(coordinates[0]), float(coordinates[1]))
    name = str(entry["name"])
    return CuratedEntity(
        name=name,
        type=kind,
        aliases=tuple(dict.fromkeys([name, *map(str, aliases)])),
        description=entry.get("description"),
        links=tuple(map(str, entry.get("links") or [])),
        coordinates=coordinates,
        line=line,
    )


def _check_unique_aliases(entities: list[CuratedEntity], path: Path) -> None:
    owner: dict[str, CuratedEntity] = {}
    for entity in entities:
        for alias in entity.aliases:
            key = fold(alias)
            other = owner.get(key)
            if other is not None and other is not entity:
                raise CorrectionsError(
                    f"{path}:{entity.line}: alias {alias!r} is given to both "
                    f"{other.name!r} (line {other.line}) and {entity.name!r}"
                )
            owner[key] = entity


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
) -> list[Entity]:
    corrections = corrections or Corrections()
    lexicon = lexicon or load_lexicon()
    known = load_known_organisations() if known is None else known
    anchors = _anchor_groups(corrections, known, lexicon)
    groups: dict[str, _Group] = {}
    for mention in mentions:
        folded = fold(mention.text)
        key = name_key(mention.text, lexicon)
        if folded in corrections.rejected or key in corrections.rejected or not key:
            continue
        if key in lexicon.rejected:
            continue
        group = anchors.get(folded) or anchors.get(key)
        if group is None:
            group = groups.setdefault(key, _Group(key))
        group.mentions.append(mention)
    found = [g for g in _unique(anchors.values()) if g.mentions] + sorted(
        groups.values(), key=lambda g: g.key
    )
    found = _join_surnames(found)
    found = _merge_variants(found)
    return _to_entities(found)


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


def _vote(group: _Group) -> str:
    if group.curated is not None and group.curated.type:
        return group.curated.type
    if group.known is not None:
        return group.known["type"]
    votes = Counter(m.type for m in group.mentions)
    return min(votes, key=lambda t: (-votes[t], TYPE_ORDER[t]))


def _join_surnames(groups: list[_Group]) -> list[_Group]:
    """A lone surname joins the one full person name whose last word matches it."""
    people = [g for g in groups if _vote(g) == "person"]
    full_names = [g for g in people if len(g.key.split()) > 1]
    absorbed: set[int] = set()
    for group in people:
        if len(group.key.split()) != 1 or group.anchored:
            continue
        matches = [
            f for f in full_names if fuzz.ratio(group.key, f.key.split()[-1]) >= SURNAME_THRESHOLD
        ]
        if len(matches) == 1:
            matches[0].mentions.extend(group.mentions)
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
    for x, y in similar_pairs([groups[i].key for i in candidates], FUZZY_THRESHOLD):
        a, b = root(candidates[x]), root(candidates[y])
        if a == b or (groups[a].anchored and groups[b].anchored):
            continue
        keep, drop = (a, b) if groups[a].anchored or not groups[b].anchored else (b, a)
        groups[keep].mentions.extend(groups[drop].mentions)
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
    counts = Counter(m.text for m in group.mentions)
    if kind == "person":  # the fullest form of a name: `Ali Maqsood` over `Maqsoud`
        return min(counts, key=lambda s: (-len(s.split()), -counts[s], s))
    return min(counts, key=lambda s: (-counts[s], -len(s), s))


def _to_entities(groups: list[_Group]) -> list[Entity]:
    entities = []
    for group in groups:
        kind = _vote(group)
        curated = group.curated
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
                coordinates=curated.coordinates if curated else None,
                origin="curated" if curated else "known" if group.known else "model",
                also_known_as=_names_not_seen(group, {m.text for m in mentions}),
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
