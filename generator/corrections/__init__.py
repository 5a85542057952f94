"""Corrections: the dossier's corrections file, read and checked once by
`load_corrections` (entities, rejections and splits in entities.py, the `events`
section in events.py)."""

from generator.corrections.load import Corrections, load_corrections
from generator.corrections.yaml_file import CorrectionsError

__all__ = ["Corrections", "CorrectionsError", "load_corrections"]
