"""Name keys (the folded form of a name that mentions of one entity share), the sound
keys that make French and English romanisations of one name alike (data/
transliteration.yml), the translation keys that make an organisation's English and French
names alike (data/organisation_words.yml), and the search for similar keys without
comparing all pairs."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from importlib import resources
from itertools import combinations

import yaml
from rapidfuzz import fuzz

from generator.nlp.acronyms import FUNCTION_WORDS
from generator.nlp.features import load_features
from generator.nlp.lexicon import Lexicon
from generator.resolve.gazetteer import Gazetteer
from generator.text import fold


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


ROLE_LINKS = frozenset({"de", "du", "des", "d", "of", "the"})


def is_role(folded: str, lexicon: Lexicon) -> bool:
    """A title followed by what it is the title of, with no name: `ministre de la
    defense`, `president de la republique`, `minister of defence`."""
    for title in lexicon.titles:
        if folded.startswith(title + " "):
            return folded[len(title) + 1 :].split()[0] in ROLE_LINKS
    return False


FEATURE_KEY_SEPARATOR = ": "  # in a feature's key only: name keys have no punctuation


def feature_key(
    surface: str, lexicon: Lexicon, gazetteer: Gazetteer, evidence: str = ""
) -> str | None:
    """The key of a feature named after a place (data/features.yml): its kind and the
    place (`nuclear power plant: zaporizhzhya` for `centrale nucléaire de Zaporijjia` and
    `Zaporozhye NPP`); None for a name that is no feature. A feature that is not apart
    from its place (data/features.yml, `apart`) is keyed as the place."""
    named = load_features().of_mention(surface, evidence)
    if named is None:
        return None
    feature, name = named
    place = gazetteer.lookup(name)
    if not feature.is_apart(place.kind if place else None):
        return name_key(name, lexicon)
    where = fold(place.name) if place else sound_key(name_key(name, lexicon))
    return f"{feature.kind}{FEATURE_KEY_SEPARATOR}{where}"


def is_feature_key(key: str) -> bool:
    """Whether a group's key is a feature's (`region: zaporizhzhya`): no gazetteer place."""
    return FEATURE_KEY_SEPARATOR in key


@cache
def transliteration_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The rules of data/transliteration.yml, compiled, in their order."""
    text = resources.files("generator").joinpath("data", "transliteration.yml").read_text("utf-8")
    return tuple((re.compile(r["pattern"]), r["replacement"]) for r in yaml.safe_load(text))


def sound_key(key: str) -> str:
    """A name key with the French/English romanisation differences folded away:
    `igor mourachov` and `ihor murashov` both give `igor murashov`."""
    for pattern, replacement in transliteration_rules():
        key = pattern.sub(replacement, key)
    return key


TRANSLATION_MIN_WORDS = 3  # `Conseil national` alone names too many bodies


@cache
def organisation_words() -> dict[str, str]:
    """English word of organisation names -> its French, both folded (data file)."""
    path = resources.files("generator").joinpath("data", "organisation_words.yml")
    text = path.read_text("utf-8")
    return {fold(english): fold(french) for english, french in yaml.safe_load(text).items()}


def translation_key(key: str) -> str | None:
    """An organisation's name key with its English words in French, each stemmed (plural
    and final `e` off), the function words out, sorted: `national council for the
    safeguard of the homeland` and `conseil national pour la sauvegarde de la patrie`
    both give `conseil national patri sauvegard`. None for a name of fewer words."""
    words = organisation_words()
    stems = [
        _stem(words.get(word, word))
        for word in key.split()
        if word not in FUNCTION_WORDS and len(word) > 1  # `s` of `people's`
    ]
    return " ".join(sorted(stems)) if len(stems) >= TRANSLATION_MIN_WORDS else None


def _stem(word: str) -> str:
    return word.removesuffix("s").removesuffix("x").rstrip("e") or word


def similar_pairs(keys: list[str], threshold: float) -> list[tuple[int, int]]:
    """Index pairs (i < j, sorted) of keys with a rapidfuzz ratio >= threshold.

    Instead of comparing all pairs, keys are blocked by their deletion neighbourhood
    (the key with up to two characters removed): keys within two substitutions,
    insertions or deletions of each other share an entry, so only those are compared,
    in linear time. A ratio >= 90 allows no more than that for keys of up to ~14
    characters, so nothing is missed there; longer keys further apart are not compared."""
    pairs: set[tuple[int, int]] = set()
    for members in _blocks(keys).values():  # each key once, in order: pairs are (i < j)
        if len(members) > 1:
            pairs.update(combinations(members, 2))
    return sorted(p for p in pairs if fuzz.ratio(keys[p[0]], keys[p[1]]) >= threshold)


def similar_across(left: list[str], right: list[str], threshold: float) -> list[tuple[int, int]]:
    """`similar_pairs` between two lists only: pairs (i, j) of `left[i]` and `right[j]`,
    sorted. Short keys share many deletion variants: pairing only across the lists keeps
    the blocks of thousands of short words from being paired among themselves."""
    blocks = _blocks(right)
    pairs: set[tuple[int, int]] = set()
    for i, key in enumerate(left):
        for variant in deletion_neighbourhood(key):
            pairs.update((i, j) for j in blocks.get(variant, ()))
    return sorted(p for p in pairs if fuzz.ratio(left[p[0]], right[p[1]]) >= threshold)


def _blocks(keys: list[str]) -> dict[str, list[int]]:
    """Each deletion variant (see below) and the indexes of the keys that have it."""
    blocks: defaultdict[str, list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        for variant in deletion_neighbourhood(key):
            blocks[variant].append(index)
    return blocks


def deletion_neighbourhood(key: str, depth: int = 2) -> set[str]:
    """The key and every string made from it by removing up to `depth` characters."""
    found, frontier = {key}, {key}
    for _ in range(depth):
        frontier = {word[:k] + word[k + 1 :] for word in frontier for k in range(len(word))}
        found |= frontier
    return found
