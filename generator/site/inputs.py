"""Page inputs: a digest of what each page is made from, so that a rebuild renders only
the pages whose inputs changed.

A page of one record (an entity, its mentions, an event, a source) is rendered from the
context its `Renderer` method builds: that context is digested instead of rendered,
with the template (and the templates it includes), the settings that reach every page
and the generator's code. The page's own record counts whole; a record it only links to
(the places of an event, the entities of a source, the events of an entity) counts by
what a link to it prints (`ENTITY_REFERENCE`, `EVENT_REFERENCE`), so that a new mention
of a place does not render again every event held there. A mention counts with the
article it quotes (its title is printed beside the quote).

An entity's page and its pages of mentions also share one key made of the entity whole,
its events whole and its related entities (`Renderer.entity_inputs`): when that key is
unchanged and every one of those files is intact, they are all kept without building
their facts, which is most of the cost of rendering a large dossier again.

The digest is recorded in the content folder's manifest (write.py) beside the hash of
the text written: a page whose digest is the same as last time, and whose file still
has that hash, is not rendered, its file is kept. Pages made from the whole dossier (home,
section indexes, sources, timeline, map, exports) are always rendered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from functools import cache
from importlib import metadata, resources
from operator import attrgetter
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment, meta
from markupsafe import Markup

from generator.records import Article, DateMention, Entity, Event, Figure, Mention

# What a link to an entity or an event prints (name, address, date, map pin): a page
# that links to one depends on these fields only, not on its mentions or accounts.
ENTITY_REFERENCE = ("slug", "name", "type", "coordinates")
EVENT_REFERENCE = (
    "slug",
    "type",
    "label",
    "title",
    "date",
    "end_date",
    "precision",
    "origin",
    "description",
    "corrected",
    "merged_from",
    "figures",
)
_ENTITY_REFERENCE = attrgetter(*ENTITY_REFERENCE)
_EVENT_REFERENCE = attrgetter(*EVENT_REFERENCE)
_SCALARS = (str, int, float, bool, dt.date, type(None))
_SCALAR_TYPES = frozenset({*_SCALARS, Markup})
# Records of scalars only, digested as the tuple of their fields.
_FLAT = {
    kind: attrgetter(*(field.name for field in dataclasses.fields(kind)))
    for kind in (Mention, DateMention, Figure)
}


@cache
def _is_record(kind: type) -> bool:
    """A record digested field by field (accounts, groups of facts...): any dataclass but
    those digested by what a page prints of them."""
    return dataclasses.is_dataclass(kind) and not issubclass(kind, (Article, Entity, Event))


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(kind))


@cache
def code_digest() -> str:
    """The generator's code and data and its version: a change renders every page."""
    digest = hashlib.sha256(_package_version().encode())
    root = Path(str(resources.files("generator")))
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".yml", ".yaml", ".json", ".j2", ".po"}:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _package_version() -> str:
    try:
        return metadata.version("dossier")
    except metadata.PackageNotFoundError:
        return "unknown"


def template_digests(env: Environment) -> dict[str, str]:
    """Each template's digest: its source and those of the templates it includes or
    imports, so that editing `place_map.md.j2` renders the pages that include it."""
    loader = env.loader
    assert loader is not None
    sources: dict[str, str] = {}
    uses: dict[str, set[str]] = {}
    for name in env.list_templates(extensions=["j2"]):
        source = loader.get_source(env, name)[0]
        sources[name] = source
        found = meta.find_referenced_templates(env.parse(source))
        uses[name] = {used for used in found if used is not None}
    return {name: _closure_digest(name, sources, uses) for name in sources}


def _closure_digest(name: str, sources: dict[str, str], uses: dict[str, set[str]]) -> str:
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current not in seen and current in sources:
            seen.add(current)
            pending.extend(uses[current])
    digest = hashlib.sha256()
    for used in sorted(seen):
        digest.update(f"{used}\0{sources[used]}\0".encode())
    return digest.hexdigest()


class PageInputs:
    """Digests of page contexts, each record digested once per build."""

    def __init__(self, articles: Mapping[str, Article], common: str) -> None:
        self.articles = articles
        self.common = common  # templates aside, what reaches every page
        self._articles: dict[str, str] = {}
        self._entities: dict[int, str] = {}
        self._events: dict[int, str] = {}
        self._events_with_sources: dict[int, str] = {}
        self._mentions: dict[int, str] = {}
        self._references: dict[int, str] = {}  # of entities

    def digest(self, template: str, path: str, context: Mapping[str, object]) -> str:
        parts = [self.common, template, path]
        for key in sorted(context):
            parts.append(key)
            value = context[key]
            if isinstance(value, Entity):  # the page's own record: whole
                parts.append(self._entity_whole(value))
            elif isinstance(value, Event):
                parts.append(self.event_whole(value))
            else:
                self._add(value, parts)
        return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

    def _add(self, value: Any, parts: list[str]) -> None:
        kind: type = type(value)
        if kind in _SCALAR_TYPES:
            parts.append(repr(value))
        elif kind is Mention:
            parts.append(self._mention(value))
        elif kind in _FLAT:  # records of scalars only
            parts.append(repr(_FLAT[kind](value)))
        elif kind is Entity:
            parts.append(self._entity_reference(value))
        elif kind is list or kind is tuple:
            parts.append("[")
            for item in value:
                self._add(item, parts)
            parts.append("]")
        elif kind is dict:
            parts.append("{")
            for key, item in value.items():
                parts.append(repr(key))
                self._add(item, parts)
            parts.append("}")
        elif _is_record(kind):
            self._add_record(value, parts)
        else:
            self._add_other(value, parts)

    def _add_record(self, value: object, parts: list[str]) -> None:
        kind: type = type(value)
        parts.append(kind.__name__)
        for name in _field_names(kind):
            self._add(getattr(value, name), parts)

    def _add_other(self, value: object, parts: list[str]) -> None:
        if isinstance(value, _SCALARS):
            parts.append(repr(value))
        elif isinstance(value, Article):
            parts.append(self.article(value.slug))
        elif isinstance(value, Entity):
            parts.append(self._entity_reference(value))
        elif isinstance(value, Event):
            parts.append(self._event_reference(value))
        elif isinstance(value, Mapping | list | tuple):
            self._add(dict(value) if isinstance(value, Mapping) else list(value), parts)
        elif callable(value):
            # `link` and `quote`: bound to the page's path and to the records above
            parts.append("callable")
        else:
            raise TypeError(f"no digest for {type(value).__name__} in a page's context")

    def _mention(self, mention: Mention) -> str:
        """A mention with the article it quotes, digested once (an entity page holds its
        mentions twice or more: all of them, then grouped by event and by article)."""

        def digest() -> str:
            return _hash([repr(_FLAT[Mention](mention)), self.article(mention.article)])

        return _once(self._mentions, id(mention), digest)

    def article(self, slug: str) -> str:
        return _once(self._articles, slug, lambda: _hash([repr(self.articles[slug])]))

    def _entity_reference(self, entity: Entity) -> str:
        return _once(self._references, id(entity), lambda: repr(_ENTITY_REFERENCE(entity)))

    def _entity_whole(self, entity: Entity) -> str:
        def digest() -> str:
            parts = [repr(dataclasses.replace(entity, mentions=()))]
            self._add(entity.mentions, parts)
            return _hash(parts)

        return _once(self._entities, id(entity), digest)

    def _event_reference(self, event: Event) -> str:
        return repr(_EVENT_REFERENCE(event))

    def event_whole(self, event: Event) -> str:
        def digest() -> str:
            parts = [self._event_reference(event)]
            for name in ("places", "actors", "accounts"):
                self._add(getattr(event, name), parts)
            return _hash(parts)

        return _once(self._events, id(event), digest)

    def event_with_sources(self, event: Event) -> str:
        """The event whole and the articles it cites (an undated event's year is its
        first source's): once per event, however many entities share it."""

        def digest() -> str:
            return _hash([self.event_whole(event), *map(self.article, event.articles)])

        return _once(self._events_with_sources, id(event), digest)


def _hash(parts: list[str]) -> str:
    data = "\0".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _once(known: dict[Any, str], key: Any, digest: Callable[[], str]) -> str:
    """`known[key]`, digested the first time it is asked for."""
    found = known.get(key)
    if found is None:
        found = known[key] = digest()
    return found


class Kept(Protocol):
    """The pages the last build wrote whose files can be kept (write.py's `KeptPages`)."""

    def __call__(self, path: str, inputs: str) -> bool:
        """Whether the page's inputs are those recorded for its file, the file intact."""
        ...

    def under(self, folder: str) -> list[str] | None:
        """The pages the last build wrote in `folder` (a path ending in `/`), when every
        one of their files is intact; None when one is not."""
        ...


class NothingKept:
    """No page is kept (a build without the cache): every page is rendered."""

    def __call__(self, path: str, inputs: str) -> bool:
        return False

    def under(self, folder: str) -> list[str] | None:
        return None
