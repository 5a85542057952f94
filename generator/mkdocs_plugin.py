"""MkDocs plugin `dossier-search`: accent-folded fields in Material's search index.

Enable it after `search` in mkdocs.yml and declare its fields (`names`, `title_folded`,
`text_folded`) in the search plugin's `fields`, which is where their boosts are set.
It collects `search.names` from each page's front matter and rewrites
`search/search_index.json` once Material has written it (see `generator.search`).
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page

from generator.search import EXTRA_FIELDS, INDEX_FILE, augment_index, dump_index


class DossierSearchPlugin(BasePlugin):
    def __init__(self) -> None:
        self.names: dict[str, list[str]] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is None:
            raise PluginError("dossier-search: enable Material's `search` plugin before it")
        missing = [name for name in EXTRA_FIELDS if name not in search.config.fields]
        if missing:
            raise PluginError(
                f"dossier-search: declare {', '.join(missing)} under `search: fields:` "
                "in mkdocs.yml (with their boosts), or the browser will not index them"
            )
        self.names = {}
        return config

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):  # type: ignore[no-untyped-def]
        names = (page.meta.get("search") or {}).get("names")
        if isinstance(names, list):
            self.names[page.url] = [str(name) for name in names]
        return context

    @event_priority(-100)  # after Material's search plugin has written the index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        path = Path(config.site_dir) / INDEX_FILE
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(dump_index(augment_index(data, self.names)), encoding="utf-8")
