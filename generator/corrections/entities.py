"""TODO docstring."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from slugify import slugify

from generator.nlp.extract import TYPES
from generator.text import fold


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
class Split:
    """Mentions written `surface` (in `article`, or anywhere) belong to curated `entity`."""

    surface: str
    entity: str
    article: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Corrections:
    entities: tuple[CuratedEntity, ...] = ()
    rejected: frozenset[str] = frozenset()  # folded surfaces
    path: str | None = None
    splits: tuple[Split, ...] = ()

    def ruler_entries(self) -> list[dict]:
        """Curated names and aliases, for the entity_ruler that runs before the model."""
        return [
            {"name": e.name, "type": e.type, "aliases": list(e.aliases)}
            for e in self.entities
            if e.type
        ]


ENTITY_KEYS = {"name", "type", "aliases", "description", "links", "coordinates"}


SPLIT_KEYS = {"surface", "entity", "article"}


SECTIONS = {"entities", "reject", "split", "events"}  # `events`: see curated_events.py


class _CorrectionsLoader(yaml.SafeLoader):
    """Safe YAML that leaves `2017-02-24` a string: dates are checked (and a wrong one
    reported with its line) by whoever reads them, instead of failing in the parser."""


_CorrectionsLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}



def read_corrections_file(path: Path) -> tuple[dict, yaml.Node | None]:
    """The corrections file as data, and as YAML nodes for the line numbers of errors."""
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=_CorrectionsLoader)
        data = yaml.load(text, Loader=_CorrectionsLoader) or {}
    except yaml.YAMLError as error:
        raise CorrectionsError(f"{path}: not valid YAML: {' '.join(str(error).split())}") from error
    if not isinstance(data, dict):
        raise CorrectionsError(f"{path}:1: expected a mapping with `entities` and `reject`")
    unknown = set(data) - SECTIONS
    if unknown:
        raise CorrectionsError(f"{path}:1: unknown section(s): {', '.join(sorted(unknown))}")
    return data, root


def load_corrections(path: Path | None) -> Corrections:
    """Read and check a corrections file; a missing file means no corrections.
    Its `events` section is read by `curated_events.load_event_corrections`."""
    if path is None or not path.exists():
        return Corrections()
    data, root = read_corrections_file(path)
    lines = _item_lines(root, "entities")
    entities = [
        _curated_entity(entry, path, lines[i] if i < len(lines) else 0)
        for i, entry in enumerate(_section_list(data, "entities", path))
    ]
    _check_unique_aliases(entities, path)
    lines = _item_lines(root, "split")
    splits = [
        _split(entry, path, lines[i] if i < len(lines) else 0, entities)
        for i, entry in enumerate(_section_list(data, "split", path))
    ]
    rejected = frozenset(fold(str(s)) for s in _section_list(data, "reject", path))
    return Corrections(tuple(entities), rejected, str(path), tuple(splits))


def _section_list(data: dict, section: str, path: Path) -> list:
    value = data.get(section) or []
    if not isinstance(value, list):
        raise CorrectionsError(f"{path}: `{section}` must be a list")
    return value


def _item_lines(root: yaml.Node | None, section: str) -> list[int]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == section and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


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
        article = slugify(Path(str(article)).with_suffix("").as_posix().replace("/", "-"))
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
    if not isinstance(links, list) or not all(
        isinstance(u, str) and u.startswith(("https://", "http://")) for u in links
    ):
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
