"""Resolve: group mentions into entities.

Rules, in the order they apply (each one testable on its own, see tests/test_resolve.py):
1. the corrections file wins: its aliases, types, names and rejections are applied first
   and never second-guessed;
2. known organisations (the data files of `lexicon.KNOWN_FILES`) gather their aliases,
   and generic bodies (data/generic_organisations.yml) their forms:
   `forces irakiennes` = `armée irakienne`;
3. demonyms (`Nigériens`, `Ukrainian`) and roles without a name (`ministre de la
   Défense`, `président de la République`) are no entity;
   mentions with the same name key (case, accents, hyphens, leading articles and titles
   folded; a feature named after a place, data/features.yml, keyed on its kind and the
   place) are one entity; a handle (`@RTenfrancais`) joins the name just before it, and
   so does an acronym it spells, here and in every other article (`(CNSP)`);
   an organisation's English and French names whose words translate into each other
   (data/organisation_words.yml) are one entity;
4. a bare body (`la force aérienne`) joins the one body of its kind in the dossier;
5. names of one gazetteer place are one entity (`Mossoul` = `Mosul`);
6. transliteration variants (`Maqsood`/`Maqsoud`, `Ihor Murashov`/`Igor Mourachov`) merge
   when their sound keys (data/transliteration.yml) are similar enough (rapidfuzz ratio),
   unless both sides are curated or known, or are two different gazetteer places;
7. a surname-only person mention joins the unique full name that ends with it, and a
   name the article cuts short (`Conseil national pour la […]`) the unique name of its
   type that begins with it;
8. the page title is the curated or known name, else the most frequent form in the
   articles of the dossier's language (French `centrale nucléaire de Zaporijjia` over
   English `Zaporizhzhia Nuclear Power Plant`), else in all articles;
9. the type is the vote of the mentions (a context cue counts double, a gazetteer place
   adds a place vote per mention); a curated or known type wins.

Rules 1 to 3 are applied here, as mentions are gathered into groups (groups.py); the
later passes are in merges.py, name keys and similar keys in keys.py.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

from generator.corrections import Corrections
from generator.nlp.acronyms import acronym_evidence, spells
from generator.nlp.bodies import Bodies, load_bodies
from generator.nlp.features import FEATURE_EVIDENCE
from generator.nlp.lexicon import (
    KnownOrganisation,
    Lexicon,
    load_known_organisations,
    load_lexicon,
)
from generator.records import Entity, Mention
from generator.resolve.gazetteer import Gazetteer, Place, load_gazetteer
from generator.resolve.groups import Group, type_is_voted, type_votes, voted_type
from generator.resolve.keys import feature_key, is_role, name_key
from generator.resolve.merges import (
    join_acronyms,
    join_bare_bodies,
    join_cut_names,
    join_surnames,
    join_translations,
    locate_places,
    merge_same_places,
    merge_variants,
)
from generator.text import fold, make_slug

HANDLE_GAP = 3  # at most ` (` between a name and its handle or acronym


def resolve(
    mentions: Iterable[Mention],
    corrections: Corrections | None = None,
    lexicon: Lexicon | None = None,
    known: list[KnownOrganisation] | None = None,
    gazetteer: Gazetteer | None = None,
    bodies: Bodies | None = None,
    preferred: set[str] | None = None,
) -> list[Entity]:
    """Group mentions into entities. Data not given is loaded from the package.
    `preferred`: the articles in the dossier's language, whose names title the pages."""
    corrections = corrections or Corrections()
    lexicon = lexicon or load_lexicon()
    known = load_known_organisations() if known is None else known
    gazetteer = load_gazetteer() if gazetteer is None else gazetteer
    bodies = load_bodies() if bodies is None else bodies
    anchors = _anchor_groups(corrections, known, lexicon)
    groups: dict[str, Group] = {}
    bare: list[tuple[Mention, str]] = []
    last: dict[tuple[str, int], tuple[Mention, Group]] = {}  # the last mention, by paragraph
    acronyms: dict[str, list[Group]] = {}  # acronym key -> the groups it is defined for
    keys: dict[tuple[str, str], tuple[str, str | None]] = {}  # a dossier repeats its names
    for mention in mentions:
        feature = mention.evidence if mention.evidence.startswith(FEATURE_EVIDENCE) else ""
        if (mention.text, feature) not in keys:
            keys[mention.text, feature] = _key_of(
                mention.text, feature, corrections, lexicon, gazetteer
            )
        folded, key = keys[mention.text, feature]
        if key is None:
            continue
        group = _curated_split(mention, corrections, anchors)
        if group is None:
            group = _named_before(mention, last)
            if group is not None and not mention.text.startswith("@"):
                acronyms.setdefault(key, []).append(group)
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
                entry: KnownOrganisation = {"name": body, "type": "organisation", "aliases": []}
                entry["kind"] = bodies.kinds[body]
                group = groups.setdefault(f"body:{body}", Group(fold(body), known=entry))
            else:
                group = groups.setdefault(key, Group(key))
        group.mentions.append(mention)
        last[mention.article, mention.paragraph] = (mention, group)
    found = [g for g in _unique(anchors.values()) if g.mentions] + sorted(
        groups.values(), key=lambda g: g.key
    )
    found = join_acronyms(found, acronyms)
    found = join_translations(found)
    found = join_bare_bodies(found, bare)
    locate_places(found, gazetteer)
    found = merge_same_places(found)
    found = merge_variants(found)  # first, so that a surname finds one full name, not two
    found = join_surnames(found)
    found = join_cut_names(found)
    return _to_entities(found, preferred or set())


def _key_of(
    text: str, feature: str, corrections: Corrections, lexicon: Lexicon, gazetteer: Gazetteer
) -> tuple[str, str | None]:
    """A mention's folded text and its group's key; None for a name that is no entity:
    rejected, a demonym (`Russes`, `Ukrainian`), a role (`ministre de la Défense`)."""
    folded = fold(text)
    key = feature_key(text, lexicon, gazetteer, feature) or name_key(text, lexicon)
    rejected = folded in corrections.rejected or key in corrections.rejected or not key
    if rejected or key in lexicon.rejected or gazetteer.is_demonym(key) or is_role(folded, lexicon):
        return folded, None
    return folded, key


def _curated_split(
    mention: Mention, corrections: Corrections, anchors: dict[str, Group]
) -> Group | None:
    """The curated entity that a `split` entry sends this mention to, if any."""
    for split in corrections.splits:
        if fold(mention.text) == fold(split.surface) and split.article in (None, mention.article):
            return anchors[fold(split.entity)]
    return None


def _named_before(
    mention: Mention, last: dict[tuple[str, int], tuple[Mention, Group]]
) -> Group | None:
    """The group of the name right before a mention that is another name of it: a handle
    (`RT France (@RTenfrancais)`) or an acronym whose initials it spells (`Conseil
    national pour la sauvegarde de la patrie (CNSP)`) or that extraction found given
    right after an organisation's name (`National Council for the Safeguard of the
    Homeland (CNSP)`)."""
    previous = last.get((mention.article, mention.paragraph))
    if previous is None or not 0 <= mention.start - previous[0].end <= HANDLE_GAP:
        return None
    given = mention.evidence == acronym_evidence(previous[0].text)
    if mention.text.startswith("@") or given or spells(mention.text, previous[0].text):
        return previous[1]
    return None


def _anchor_groups(
    corrections: Corrections, known: list[KnownOrganisation], lexicon: Lexicon
) -> dict[str, Group]:
    """Map each curated or known alias (folded, and as a name key) to its group."""
    anchors: dict[str, Group] = {}
    for entry in known:
        group = Group(fold(entry["name"]), known=entry)
        for alias in entry["aliases"]:
            anchors.setdefault(fold(alias), group)
            anchors.setdefault(name_key(alias, lexicon), group)
    for curated in corrections.entities:  # curated entries override known ones
        group = Group(fold(curated.name), curated=curated)
        for alias in curated.aliases:
            anchors[fold(alias)] = group
            anchors[name_key(alias, lexicon)] = group
    return anchors


def _unique(groups: Iterable[Group]) -> list[Group]:
    """Each group once (an anchor is reached by each of its aliases), sorted by key."""
    seen: dict[int, Group] = {}
    for group in groups:
        seen.setdefault(id(group), group)
    return sorted(seen.values(), key=lambda g: g.key)


def _canonical_name(group: Group, kind: str, preferred: set[str]) -> str:
    """The curated or known name, else the most frequent form (the fullest, for people)
    in the articles of the dossier's language if any names it there, else in all."""
    if group.curated is not None:
        return group.curated.name
    if group.known is not None:
        return group.known["name"]
    named = [m for m in group.mentions if not m.text.startswith("@")]
    named = [m for m in named if m.article in preferred] or named
    counts = Counter(m.text for m in named)
    counts = counts or Counter(m.text for m in group.mentions)
    if kind == "person":  # the fullest form of a name: `Ali Maqsood` over `Maqsoud`
        return min(counts, key=lambda s: (-len(s.split()), -counts[s], s))
    return min(counts, key=lambda s: (-counts[s], -len(s), s))


def _to_entities(groups: list[Group], preferred: set[str]) -> list[Entity]:
    """The entities of the groups, sorted by name, with their slugs."""
    entities: list[Entity] = []
    for group in groups:
        kind, confidence = voted_type(group)
        curated = group.curated
        place = group.place if kind == "place" else None
        coordinates = curated.coordinates if curated and curated.coordinates else None
        mentions = tuple(sorted(group.mentions, key=lambda m: (m.article, m.paragraph, m.start)))
        entities.append(
            Entity(
                slug="",
                name=_canonical_name(group, kind, preferred),
                type=kind,
                aliases=tuple(sorted({m.text for m in mentions}, key=lambda s: (fold(s), s))),
                mentions=mentions,
                description=curated.description if curated else None,
                links=curated.links if curated else (),
                coordinates=coordinates or (place.coordinates if place else None),
                origin="curated" if curated else "known" if group.known else "model",
                also_known_as=_names_not_seen(group, {m.text for m in mentions}),
                country=place.country if place and place.country else None,
                coordinates_source=_coordinates_source(coordinates, place),
                confidence=confidence,
                decisions=tuple(group.decisions),
                votes=tuple(sorted(type_votes(group).items())) if type_is_voted(group) else (),
            )
        )
    entities.sort(key=lambda e: (fold(e.name), e.name, e.type))
    assign_slugs(entities)
    return entities


def _coordinates_source(curated: tuple[float, float] | None, place: Place | None) -> str | None:
    """Where an entity's coordinates come from, as a page says it."""
    if curated is not None:
        return "corrections"
    if place is None:
        return None
    if place.kind == "country":
        return f"countryinfo ({place.name})"
    number = place.id.partition(":")[2]
    where = f"{place.name}, {place.country}" if place.country else place.name
    return f"GeoNames {number} ({where})" if place.kind == "city" else f"GeoNames ({where})"


def _names_not_seen(group: Group, seen: set[str]) -> tuple[str, ...]:
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
        base = make_slug(entity.name, max_length=80, word_boundary=True) or hashed_slug(entity)
        if base == "index":  # `people/index.md` is the section's index page
            base = "index-entite"
        slug, count = base, 1
        while (entity.type, slug) in taken:
            count += 1
            slug = f"{base}-{count}"
        taken.add((entity.type, slug))
        entity.slug = slug


def hashed_slug(entity: Entity) -> str:
    """The slug of a name with nothing to transliterate: from its hash, not a counter
    that would pass from one entity to another as the articles change."""
    return f"entite-{hashlib.sha256(entity.name.encode('utf-8')).hexdigest()[:8]}"
