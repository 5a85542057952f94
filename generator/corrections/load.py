"""The corrections file, read and checked once (at the start of a build, so that its
errors come before any article is read) into one `Corrections` record: the entity part
for extraction and resolution, the event part for the events."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.corrections.entities import CuratedEntity, Split, entity_sections
from generator.corrections.events import EventCorrections, event_section
from generator.corrections.yaml_file import CorrectionsError, read_corrections_file


@dataclass(frozen=True)
class Corrections:
    """What the corrections file says; empty without a file."""

    entities: tuple[CuratedEntity, ...] = ()
    rejected: frozenset[str] = frozenset()  # folded surfaces
    path: str | None = None
    splits: tuple[Split, ...] = ()
    events: EventCorrections = field(default_factory=EventCorrections)

    def ruler_entries(self) -> list[dict[str, Any]]:
        """Curated names and aliases, for the entity_ruler that runs before the model."""
        return [
            {"name": e.name, "type": e.type, "aliases": list(e.aliases)}
            for e in self.entities
            if e.type
        ]


def load_corrections(path: Path | None, *, required: bool = False) -> Corrections:
    """Read and check a corrections file; a missing file means no corrections, unless it
    is `required` (named on the command line). The `events` section is checked first,
    then the entity sections."""
    if path is None:
        return Corrections()
    if not path.exists() and not path.is_symlink():
        if required:
            raise CorrectionsError(f"{path}: corrections file not found")
        return Corrections()
    data, root = read_corrections_file(path)
    events = event_section(data, root, path)
    entities, rejected, splits = entity_sections(data, root, path)
    return Corrections(entities, rejected, str(path), splits, events)
