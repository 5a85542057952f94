"""Queries a reader would type into a dossier's search, each with the page that must come
first, chosen from the dossier's own entities and articles (not written down by hand, so
that they follow the corpus and the extraction).

Each rule picks the most mentioned entity that fits it (ties by slug), among names that
only one entity has: a query two entities answer has no single right first page. The
names are those their pages give the search (`search.names`: name, aliases, other
names); the folding here is `generator.text.fold`, not the search's own code.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator

from generator.records import Dossier, Entity
from generator.site.urls import entity_url, source_url
from generator.text import fold, strip_accents

ACRONYM = re.compile(r"[A-Z]{2,5}")


def names_of(entity: Entity) -> list[str]:
    return list(dict.fromkeys([entity.name, *entity.aliases, *entity.also_known_as]))


def words(name: str) -> list[str]:
    return fold(name).split()


class ReaderQueries:
    def __init__(self, dossier: Dossier) -> None:
        self.dossier = dossier
        self.owners: dict[str, set[str]] = defaultdict(set)
        for entity in dossier.entities:
            for name in names_of(entity):
                self.owners[fold(name)].add(entity_url(entity))
        self.chosen: dict[str, str] = {}

    def unique(self, name: str) -> bool:
        return len(self.owners[fold(name)]) == 1 and fold(name) not in map(fold, self.chosen)

    def ranked(self, kind: str) -> list[Entity]:
        """The entities of a kind, most mentioned first."""
        entities = self.dossier.entities_of(kind)
        return sorted(entities, key=lambda e: (-len(e.mentions), e.slug))

    def pick(
        self, kind: str, fits: Callable[[Entity, str], bool], typed: Callable[[str], str] = str
    ) -> None:
        """The first name (of the most mentioned entity) that `fits`, typed as `typed` says;
        of an entity no query has chosen yet if there is one."""
        entities = self.ranked(kind)
        fresh = [e for e in entities if entity_url(e) not in self.chosen.values()]
        for entity in fresh + entities:
            for name in names_of(entity):
                if fits(entity, name) and self.unique(name):
                    self.chosen[typed(name)] = entity_url(entity)
                    return
        raise LookupError(f"no {kind} in the corpus fits {fits.__name__}")

    def everything(self) -> dict[str, str]:
        self.pick("person", full_name)
        self.pick("person", full_name, str.upper)
        self.pick("person", full_name_of_shared_words(self))
        self.pick("person", surname_alone)
        self.pick("person", surname_others_bear_too(self))
        self.pick("place", lambda entity, name: name == entity.name)
        self.pick("place", prefix_of_other_names(self))
        self.pick("place", accented, fold)
        self.pick("place", hyphenated, lambda name: name.replace("-", " ").lower())
        self.pick("organisation", acronym)
        self.pick("organisation", other_wording)
        self.pick("organisation", other_wording_in_words)
        self.pick("organisation", lambda entity, name: accented(entity, name), fold)
        self.pick("organisation", with_apostrophe)
        query, source = self.two_words_one_source()
        self.chosen[query] = source
        return self.chosen

    def two_words_one_source(self) -> tuple[str, str]:
        """A person's last name and a place named in one article together, each of them in
        other articles too: that article's page must come first. The search takes each
        word as a prefix (`syrie` finds `syriens`), and so does this."""
        text_of = {
            a.slug: " " + " ".join(words(" ".join([a.title, *a.paragraphs])))
            for a in self.dossier.articles
        }
        for person in self.ranked("person"):
            surname = words(person.name)[-1]
            for place in self.ranked("place"):
                [word] = words(place.name) if len(words(place.name)) == 1 else [""]
                if not word or word.startswith(surname) or surname.startswith(word):
                    continue
                pair = (surname, word)
                both = [slug for slug, text in text_of.items() if _has(text, *pair)]
                alone = [slug for slug, text in text_of.items() if _has(text, surname)]
                alone += [slug for slug, text in text_of.items() if _has(text, word)]
                names = [key for key in self.owners if _has(" " + key, *pair)]
                if len(both) == 1 and len(alone) >= 4 and not names:
                    return f"{person.name.split()[-1]} {place.name}", source_url(both[0])
        raise LookupError("no person and place named together in one article only")


def _has(text: str, *prefixes: str) -> bool:
    """Whether folded `text` (a space first) has a word beginning with each prefix."""
    return all(f" {prefix}" in text for prefix in prefixes)


def full_name(entity: Entity, name: str) -> bool:
    return name == entity.name and len(words(name)) >= 2 and name[:1].isupper()


def full_name_of_shared_words(queries: ReaderQueries) -> Callable[[Entity, str], bool]:
    """A full name each of whose words is in another entity's names too."""

    def shares_its_words(entity: Entity, name: str) -> bool:
        if not full_name(entity, name):
            return False
        url = entity_url(entity)
        return all(
            any(word in key.split() and url not in owners for key, owners in queries.owners.items())
            for word in words(name)
        )

    return shares_its_words


def surname_alone(entity: Entity, name: str) -> bool:
    """A one-word name of a person who has a full name too, that word last."""
    [*_, last] = words(entity.name) or [""]
    return (
        len(words(name)) == 1
        and name[:1].isupper()
        and (
            (len(words(entity.name)) >= 2 and words(name) == [last])
            or any(len(words(n)) >= 2 and words(n)[-1] == words(name)[0] for n in names_of(entity))
        )
    )


def surname_others_bear_too(queries: ReaderQueries) -> Callable[[Entity, str], bool]:
    """A one-word name of a person, which is a word of other people's names too."""

    def borne_by_others(entity: Entity, name: str) -> bool:
        if len(words(name)) != 1 or not name[:1].isupper():
            return False
        url = entity_url(entity)
        others = {
            owner
            for key, owners in queries.owners.items()
            if words(name)[0] in key.split()
            for owner in owners
        }
        return len(others - {url}) >= 2

    return borne_by_others


def prefix_of_other_names(queries: ReaderQueries) -> Callable[[Entity, str], bool]:
    """A place whose name begins longer words of other entities' names (`Irak`,
    `irakienne`): the longer word must not put that other entity first."""

    def begins_other_words(entity: Entity, name: str) -> bool:
        if name != entity.name or len(words(name)) != 1:
            return False
        [word] = words(name)
        return any(
            other.startswith(word) and other != word
            for key in queries.owners
            for other in key.split()
        )

    return begins_other_words


def accented(entity: Entity, name: str) -> bool:
    return name == entity.name and strip_accents(name) != name and len(words(name)) >= 2


def hyphenated(entity: Entity, name: str) -> bool:
    return name == entity.name and "-" in name and len(words(name)) >= 3


def acronym(entity: Entity, name: str) -> bool:
    return bool(ACRONYM.fullmatch(name)) and name != entity.name


def other_wording(entity: Entity, name: str) -> bool:
    """Another name, in one word, that shares no word with the entity's name."""
    return len(words(name)) == 1 and _apart(entity, name) and not ACRONYM.fullmatch(name)


def other_wording_in_words(entity: Entity, name: str) -> bool:
    """Another name, in several words, none of them a word of the entity's name."""
    return len(words(name)) >= 2 and _apart(entity, name)


def _apart(entity: Entity, name: str) -> bool:
    return len(fold(name)) > 3 and not set(words(name)) & set(words(entity.name))


def with_apostrophe(entity: Entity, name: str) -> bool:
    return bool(re.search(r"\w['’]\w", name))


def reader_queries(dossier: Dossier) -> Iterator[tuple[str, str]]:
    yield from ReaderQueries(dossier).everything().items()
