"""The editors' report: what was wrong with the inputs, for the people who build the
dossier, never on the published site (problem lines name files by their path on the
editor's machine). Written into the cache folder at each build, the same lines as the
build's `warning:` and `note:` output."""

from __future__ import annotations

from pathlib import Path

from generator.cache.files import try_to_write
from generator.records import BuildReport
from generator.settings import Settings

REPORT = "problems.txt"


def report_path(settings: Settings) -> Path | None:
    return None if settings.cache_dir is None else settings.cache_dir / REPORT


def report_lines(report: BuildReport) -> list[str]:
    return [f"warning: {p}" for p in report.problems] + [f"note: {n}" for n in report.notes]


def write_editors_report(settings: Settings, report: BuildReport) -> None:
    """`<cache>/problems.txt`, written whole; none without a cache folder (`--no-cache`:
    the output only), and a cache that cannot be written is a warning, not a failure."""
    path = report_path(settings)
    if path is None:
        return
    lines = report_lines(report) or ["no problem"]
    try_to_write(path, ("\n".join(lines) + "\n").encode("utf-8", "replace"))
