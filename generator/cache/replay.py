"""A build whose inputs did not change says the last build's report again (see
fingerprint.py): what is kept of a report, and how it is said again."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from generator.cache.fingerprint import BuildRecord
from generator.records import BuildReport, ExtractionStats, Problem

log = logging.getLogger(__name__)


def report_data(report: BuildReport, notes: list[str]) -> dict[str, Any]:
    """What a replayed build says again: counts, warnings and the dossier's notes, not
    what this build did to the pages."""
    data = asdict(report)
    data.update(written=[], removed=[], unchanged=0, notes=notes)
    return data


def replayed_report(record: BuildRecord) -> BuildReport | None:
    """The last build's report, said again: its warnings logged, every page unchanged, and
    every article counted as read from the cache; None if the record is damaged."""
    try:
        return _replayed(record)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        log.warning("the last build's record is damaged (%r): generating the pages again", error)
        return None


def _replayed(record: BuildRecord) -> BuildReport:
    data = dict(record.report)
    stats = ExtractionStats(**data.pop("extraction"))
    stats.cached, stats.extracted = stats.cached + stats.extracted, 0
    stats.parses_cached, stats.parsed = stats.parses_cached + stats.parsed, 0
    problems = [Problem(**problem) for problem in data.pop("problems")]
    data.update(unchanged=len(record.pages), replayed=True)
    report = BuildReport(**data, problems=problems, extraction=stats)
    for warning in stats.warnings:
        log.warning(warning)
    return report
