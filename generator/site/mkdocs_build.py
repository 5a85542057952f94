"""`python -m generator.site.mkdocs_build CONFIG DOCS_DIR SITE_DIR [-v] [--offline]`:
MkDocs' strict build (`--offline`: the site that opens from its files, see
generator/site/offline.py).

`dossier build` runs MkDocs here rather than in the generator's process, which holds
the dossier's millions of objects: measured at 1,000 articles, MkDocs took 26 % longer
there than a bare `mkdocs build` of the same pages.
"""

from __future__ import annotations

import logging
import sys

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

PLUGIN = "dossier-search"


def main(arguments: list[str]) -> int:
    config_file, docs_dir, site_dir = arguments[:3]
    level = logging.INFO if "-v" in arguments[3:] else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(message)s")
    try:
        config = load_config(config_file, docs_dir=docs_dir, site_dir=site_dir, strict=True)
        if "--offline" in arguments[3:]:
            make_offline(config)
        build(config)
    except (MkDocsException, OSError) as error:
        print(f"ERROR {error}", file=sys.stderr)
        return 1
    return 0


def make_offline(config: MkDocsConfig) -> None:
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        raise MkDocsException(f"--offline needs the `{PLUGIN}` plugin in {config.config_file_path}")
    plugin.config["offline"] = True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
