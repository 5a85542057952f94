"""`python -m generator.site.mkdocs_build CONFIG DOCS_DIR SITE_DIR [-v] [--offline]
[--previous SITE] [--state FILE] [--jobs N] [--full] [--kept-list FILE]`: MkDocs' strict build
(`--offline`: the site that opens from its files, see generator/site/offline.py),
incremental against the previous site and its build state when both are given (see
generator/site/incremental.py), its pages rendered in `--jobs` processes.

`dossier build` runs MkDocs here rather than in the generator's process, which holds
the dossier's millions of objects: measured at 1,000 articles, MkDocs took 26 % longer
there than a bare `mkdocs build` of the same pages. `--wait [STATE]`: the process started
ahead (see `generator.site.build.MkDocsProcess`), which reads the build state STATE,
then builds with the arguments it is sent on one line of JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from generator.site import incremental
from generator.site.folders import SUMMARY
from generator.site.site_state import SiteState, load_state

PLUGIN = "dossier-search"


def arguments_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator.site.mkdocs_build")
    parser.add_argument("config")
    parser.add_argument("docs_dir")
    parser.add_argument("site_dir")
    parser.add_argument("-v", dest="verbose", action="store_true")
    parser.add_argument("--offline", action="store_true")
    parser.add_argument("--previous", type=Path, help="the previous site, to keep pages of")
    parser.add_argument("--state", type=Path, help="the build state, read and written")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--full", action="store_true", help="render every page")
    parser.add_argument(
        "--kept-list",
        type=Path,
        help="list the previous site's pages kept in this file instead of linking them",
    )
    return parser


def wait_then_build(state_file: str | None) -> int:
    """`--wait [STATE]`: the build state read, then the build told (`{"arguments": [...],
    "epoch": SOURCE_DATE_EPOCH or null}`); nothing if the generator stops first."""
    preloaded = load_state(Path(state_file)) if state_file else None
    line = sys.stdin.readline()
    if not line:
        return 1
    told = json.loads(line)
    if told["epoch"] is not None:
        os.environ.setdefault("SOURCE_DATE_EPOCH", told["epoch"])
    return main(told["arguments"], preloaded)


def main(arguments: list[str], preloaded: SiteState | str | None = None) -> int:
    """The build; `preloaded`: the build state already read from the `--state` file."""
    options = arguments_parser().parse_args(arguments)
    level = logging.INFO if options.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(message)s")
    config_file, docs_dir, site_dir = options.config, options.docs_dir, options.site_dir
    try:
        config = load_config(config_file, docs_dir=docs_dir, site_dir=site_dir, strict=True)
        if options.offline:
            make_offline(config)
        outcome = incremental.build(
            config,
            previous_site=None if options.full else options.previous,
            state_file=options.state,
            jobs=options.jobs,
            offline=options.offline,
            kept_list=options.kept_list,
            state_read=preloaded,
        )
    except (MkDocsException, OSError) as error:
        print(f"ERROR {error}", file=sys.stderr)
        return 1
    print(summary(outcome, forced=options.full))
    return 0


def summary(outcome: incremental.Outcome, forced: bool) -> str:
    """The line `dossier build` shows: what was rendered, and why all of it if so."""
    counts = f"{outcome.rendered} pages rendered, {outcome.kept} kept"
    if forced:
        return f"{SUMMARY} {counts} (full build: --no-cache)"
    if outcome.reason is not None:
        return f"{SUMMARY} {counts} (full build: {outcome.reason})"
    return f"{SUMMARY} {counts}"


def make_offline(config: MkDocsConfig) -> None:
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        raise MkDocsException(f"--offline needs the `{PLUGIN}` plugin in {config.config_file_path}")
    plugin.config["offline"] = True


if __name__ == "__main__":
    if sys.argv[1:2] == ["--wait"]:
        sys.exit(wait_then_build(sys.argv[2] if len(sys.argv) > 2 else None))
    sys.exit(main(sys.argv[1:]))
