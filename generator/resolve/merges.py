"""The passes of resolution that join groups of mentions after they are first made by
name key: bare bodies, names of one gazetteer place, lone surnames, and transliteration
variants (rules 4 to 7 of entities.py). Each pass records the decisions it takes."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from rapidfuzz import fuzz

from generator.records import Decision, Mention
from generator.resolve.gazetteer import Gazetteer
from generator.resolve.groups import Group, may_merge, surfaces, voted_type
from generator.resolve.keys import (
    is_feature_key,
    similar_across,
    similar_pairs,
    sound_key,
    translation_key,
)
from generator.text import fold

FUZZY_THRESHOLD = 90  # rapidfuzz ratio on name keys; docs, "Extraction and resolution"
SURNAME_THRESHOLD = 80  # ratio between a lone surname and the last word of a full name
FUZZY_MIN_LENGTH = 5  # shorter keys (`Alep`, `Irak`) are never fuzzy-matched


def join_acronyms(groups: list[Group], acronyms: dict[str, list[Group]]) -> list[Group]:
    """An acronym defined in the text is one entity with its expansions, and with the
    group of every other mention of it: one acronym, one entity in a dossier."""
    by_key = {g.key: g for g in groups}
    absorbed: set[int] = set()
    for key, owners in sorted(acronyms.items()):
        first, *others = list({id(g): g for g in owners}.values())
        alone = by_key.get(key)
        for other in [*others, *([alone] if alone is not None else [])]:
            if other is first or id(other) in absorbed or not may_merge(first, other):
                continue
            decision = Decision("acronym", other.key, first.key, surfaces(other), note=key)
            first.absorb(other, decision)
            absorbed.add(id(other))
    return [g for g in groups if id(g) not in absorbed]


def join_translations(groups: list[Group]) -> list[Group]:
    """Names of an organisation in English and in French are one entity when their words
    translate into each other (`translation_key`): `National Council for the Safeguard of
    the Homeland` joins `Conseil national pour la sauvegarde de la patrie`."""
    by_key: dict[str, Group] = {}
    absorbed: set[int] = set()
    for group in groups:
        key = _organisation_translation_key(group)
        if key is None:
            continue
        first = by_key.setdefault(key, group)
        if first is group or not may_merge(first, group):
            continue
        into, joined = (group, first) if group.anchored and not first.anchored else (first, group)
        decision = Decision("translation", joined.key, into.key, surfaces(joined), note=key)
        into.absorb(joined, decision)
        absorbed.add(id(joined))
        by_key[key] = into
    return [g for g in groups if id(g) not in absorbed]


def _organisation_translation_key(group: Group) -> str | None:
    if is_feature_key(group.key) or voted_type(group)[0] != "organisation":
        return None
    return translation_key(group.key)


def join_bare_bodies(groups: list[Group], bare: list[tuple[Mention, str]]) -> list[Group]:
    """`la force aérienne` joins the one body of its kind (`aviation irakienne`), if one."""
    of_kind: dict[str, list[Group]] = {}
    for group in groups:
        if group.known is not None and (kind := group.known.get("kind")) is not None:
            of_kind.setdefault(kind, []).append(group)
    for mention, kind in bare:
        bodies = of_kind.get(kind, [])
        if len(bodies) == 1:
            body = bodies[0]
            body.mentions.append(mention)
            only = f"the only {kind} body of the dossier"
            body.decisions.append(Decision("bare body", mention.text, body.key, note=only))
    return groups


def locate_places(groups: list[Group], gazetteer: Gazetteer) -> None:
    """Attach the gazetteer place that a group's name or one of its mentions names, in the
    context of the countries the dossier names (see `Gazetteer.locate`)."""
    located = [g for g in groups if _may_be_a_place(g)]
    countries: Counter[str] = Counter()
    for group in located:
        place = next(filter(None, map(gazetteer.lookup, _place_names(group))), None)
        if place is not None and place.kind == "country":
            countries[place.country] += len(group.mentions)
    for group in located:
        names = _place_names(group)
        group.place = next(filter(None, (gazetteer.locate(n, countries) for n in names)), None)


def _may_be_a_place(group: Group) -> bool:
    """Not a known organisation, a curated entity of another type, nor a feature named
    after a place (`Zaporizhzhia` of `the ... Zaporizhzhia regions` is not the city)."""
    curated = group.curated
    if group.known is not None or (curated and curated.type not in (None, "place")):
        return False
    return not is_feature_key(group.key)


def _place_names(group: Group) -> list[str]:
    names = [group.key, *sorted({m.text for m in group.mentions})]
    return [*group.curated.aliases, *names] if group.curated is not None else names


def merge_same_places(groups: list[Group]) -> list[Group]:
    """Names of one gazetteer place are one entity: `Mossoul`, `Mosul`."""
    by_place: dict[str, Group] = {}
    kept: list[Group] = []
    for group in groups:
        if group.place is None or voted_type(group)[0] != "place":
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


def _same_place(joined: Group, into: Group) -> Decision:
    place = into.place.name if into.place else ""
    return Decision("same place", joined.key, into.key, surfaces(joined), note=place)


def join_surnames(groups: list[Group]) -> list[Group]:
    """A lone surname joins the one full person name whose last word matches it (a word
    typed otherwise too, unless it names a gazetteer place).

    Surnames and last words are compared by their sound keys, through `similar_across`
    (blocked, not all pairs); at the surname threshold that finds every match for words
    of up to ~12 characters."""
    people = [g for g in groups if voted_type(g)[0] == "person"]
    owners: defaultdict[str, list[Group]] = defaultdict(list)  # last word -> full names
    for group in people:
        if len(group.key.split()) > 1:
            owners[sound_key(group.key.split()[-1])].append(group)
    # a lone word no gazetteer place claims may be a surname the model typed otherwise
    # (`Macron` typed place): it joins a full name all the same
    alone = [g for g in groups if len(g.key.split()) == 1 and not g.anchored]
    surnames = [g for g in alone if g.place is None or voted_type(g)[0] == "person"]
    last_words = sorted(owners)
    matches: defaultdict[int, list[Group]] = defaultdict(list)  # surname -> full names
    for i, j in similar_across([sound_key(g.key) for g in surnames], last_words, SURNAME_THRESHOLD):
        matches[i].extend(owners[last_words[j]])
    absorbed: set[int] = set()
    for index, found in sorted(matches.items()):
        if len(found) == 1:
            group, full = surnames[index], found[0]
            score = fuzz.ratio(sound_key(group.key), sound_key(full.key.split()[-1]))
            decision = Decision(
                "surname", group.key, full.key, surfaces(group), score, SURNAME_THRESHOLD
            )
            full.absorb(group, decision)
            absorbed.add(id(group))
    return [g for g in groups if id(g) not in absorbed]


# after a name: a few lower-case words, then an ellipsis, `[…]`, `(...)`
_CUT_SHORT = re.compile(r"\s+(?:[^\W\d_A-ZÀ-Ý][\w'’]*\s+){0,3}?[\[(]?\s*(?:…|\.\.\.)")


def join_cut_names(groups: list[Group]) -> list[Group]:
    """A name that the article cuts short (`le président du Conseil national pour la
    […]`) joins the one longer name of its type in the dossier that begins with it."""
    absorbed: set[int] = set()
    for group in groups:
        if group.anchored or not group.mentions or not all(map(is_cut_short, group.mentions)):
            continue
        kind, prefix = voted_type(group)[0], fold(group.mentions[0].text) + " "
        longer = [
            g
            for g in groups
            if g is not group
            and id(g) not in absorbed
            and voted_type(g)[0] == kind
            and any(fold(m.text).startswith(prefix) for m in g.mentions)
        ]
        if len(longer) == 1 and may_merge(longer[0], group):
            note = "cut short in the article"
            longer[0].absorb(
                group, Decision("cut short", group.key, longer[0].key, surfaces(group), note=note)
            )
            absorbed.add(id(group))
    return [g for g in groups if id(g) not in absorbed]


def is_cut_short(mention: Mention) -> bool:
    """Whether the sentence goes on after the mention with an ellipsis."""
    offset = mention.end - mention.sentence_start
    if mention.sentence[offset - len(mention.text) : offset] != mention.text:
        return False  # the sentence was trimmed: offsets do not hold
    return _CUT_SHORT.match(mention.sentence, offset) is not None


def merge_variants(groups: list[Group]) -> list[Group]:
    """Union groups whose keys are transliteration variants of each other (similar sound
    keys: `Igor Mourachov`, `Ihor Murashov`)."""
    parent = list(range(len(groups)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    candidates = [i for i, g in enumerate(groups) if len(g.key) >= FUZZY_MIN_LENGTH]
    keys = [sound_key(groups[i].key) for i in candidates]
    for x, y in similar_pairs(keys, FUZZY_THRESHOLD):
        a, b = root(candidates[x]), root(candidates[y])
        if a == b or not may_merge(groups[a], groups[b]):
            continue
        keep, drop = (a, b) if groups[a].anchored or not groups[b].anchored else (b, a)
        score = fuzz.ratio(keys[x], keys[y])
        joined, into = groups[drop], groups[keep]
        named = (groups[candidates[x]].key, groups[candidates[y]].key)  # name keys, shown
        pair = (named[1], named[0]) if drop == b else named  # (dropped, kept) side
        decision = Decision("fuzzy", *pair, surfaces(joined), score, FUZZY_THRESHOLD)
        into.absorb(joined, decision)
        parent[drop] = keep
    return [g for i, g in enumerate(groups) if root(i) == i]
