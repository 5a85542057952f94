"""The entity part of the corrections file: curated entities (`entities`), names never
to keep (`reject`) and mentions sent to another curated entity (`split`), checked as
they are read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.corrections.yaml_file import CorrectionsError, item_lines
from generator.nlp.mentions import TYPES
from generator.text import fold, make_slug
from generator.web import is_web_url


@dataclass(frozen=True)
class CuratedEntity:
    """An entry of the `entities` section: a name, its type and aliases, and what its page
    says (description, links, coordinates)."""

    name: str
    type: str | None
    aliases: tuple[str, ...]
    description: str | None = None
    links: tuple[str, ...] = ()
    coordinates: tuple[float, float] | None = None
    line: int = 0


@dataclass(frozen=True)
class Split:
    """Mentions written `surface` (in `article`, or anywhere) belong to curated `entity`."""

    surface: str
    entity: str
    article: str | None = None
    line: int = 0


ENTITY_KEYS = {"name", "type", "aliases", "description", "links", "coordinates"}
SPLIT_KEYS = {"surface", "entity", "article"}


def entity_sections(
    data: dict[str, Any], root: yaml.Node | None, path: Path
) -> tuple[tuple[CuratedEntity, ...], frozenset[str], tuple[Split, ...]]:
    """The curated entities, the rejected names (folded) and the splits of the file."""
    lines = item_lines(root, "entities")
    entities = [
        _curated_entity(entry, path, lines[i] if i < len(lines) else 0)
        for i, entry in enumerate(_section_list(data, "entities", path))
    ]
    _check_unique_aliases(entities, path)
    lines = item_lines(root, "split")
    splits = [
        _split(entry, path, lines[i] if i < len(lines) else 0, entities)
        for i, entry in enumerate(_section_list(data, "split", path))
    ]
    rejected = frozenset(fold(str(s)) for s in _section_list(data, "reject", path))
    return tuple(entities), rejected, tuple(splits)


def _section_list(data: dict[str, Any], section: str, path: Path) -> list[Any]:
    value = data.get(section) or []
    if not isinstance(value, list):
        raise CorrectionsError(f"{path}: `{section}` must be a list")
    return value


def _split(entry: object, path: Path, line: int, entities: list[CuratedEntity]) -> Split:
    where = f"{path}:{line}"
    if not isinstance(entry, dict) or not entry.get("surface") or not entry.get("entity"):
        raise CorrectionsError(f"{where}: each split needs a `surface` and an `entity`")
    unknown = set(entry) - SPLIT_KEYS
    if unknown:
        raise CorrectionsError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    target = str(entry["entity"])
    if not any(fold(target) == fold(e.name) for e in entities):
        raise CorrectionsError(
            f"{where}: unknown entity {target!r}: a split sends mentions to an entity "
            f"of the `entities` section"
        )
    article = entry.get("article")
    if article is not None:
        article = make_slug(Path(str(article)).with_suffix("").as_posix().replace("/", "-"))
    return Split(str(entry["surface"]), target, article, line)


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
        try:
            coordinates = (float(coordinates[0]), float(coordinates[1]))
        except (TypeError, ValueError):
            raise CorrectionsError(f"{where}: `coordinates` must be two numbers") from None
        if not (-90 <= coordinates[0] <= 90 and -180 <= coordinates[1] <= 180):
            raise CorrectionsError(f"{where}: `coordinates` out of range (latitude, longitude)")
    links = entry.get("links") or []
    if not isinstance(links, list) or not all(isinstance(u, str) and is_web_url(u) for u in links):
        raise CorrectionsError(f"{where}: `links` must be a list of http(s) URLs")
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
