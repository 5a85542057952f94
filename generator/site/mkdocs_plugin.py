"""MkDocs plugin `dossier-search`: the site's search, on Material's search interface.

Enable it after `search` in mkdocs.yml and declare its fields (`names`, `title_folded`,
`text_folded`) in the search plugin's `fields`, which is where their boosts are set.

- It collects `search.names` from each page's front matter and, once Material has
  written `search/search_index.json`, adds accent-folded words and entity names to its
  entries (see `generator.site.search_fields`).
- Under `dossier serve`, it generates the pages again before each build
  (`before_each_build`): MkDocs rebuilds when the articles, the corrections or the
  templates change, and the pages then follow them.
- It puts the package's template overrides before Material's (see
  `generator.site.theme`): the 404 page in the dossier's language, a name for the search
  dialog, and the hover previews' script (`assets/dossier/preview.js`); offline, each
  previewed page's preview as a script beside it (see `generator.site.preview_twins`).
- It gives the theme's templates the cache of compiled templates that the pages' share
  (`generator.site.templating.compiled_templates`).
- It gives every page its Content-Security-Policy (see `generator.site.csp`), last of
  the page hooks, once the page's scripts are final.
- It builds the lunr index of those entries (`search/lunr_index.json`, with the text
  that results show in `search/text/`) and puts a search worker of its own beside it
  (`search/worker.js`, with MkDocs' copy of lunr.js), which every page names in place of
  Material's: the reader's browser loads the index instead of building it at each page
  load, seconds for a large dossier. `search_index.json` keeps Material's search
  configuration only: the worker reads the entries itself.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from jinja2 import Environment
from mkdocs.config import config_options
from mkdocs.config.base import LegacyConfig
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.site import urls
from generator.site.csp import tile_origin, with_policy
from generator.site.offline import (
    PAGE_WORKER,
    offline_data_script,
    offline_entries,
    offline_files,
    offline_links,
    script_twins,
)
from generator.site.preview_twins import preview_twin
from generator.site.search_fields import EXTRA_FIELDS, augment_index
from generator.site.search_index import INDEX_FILE, TEXT_FOLDER, prebuilt_files
from generator.site.templating import compiled_templates
from generator.site.theme import (
    PREVIEW_SCRIPT,
    is_previewed,
    name_search_dialog,
    preview_script,
    theme_dirs,
    ui_words,
)

# What `dossier serve` runs before each build of MkDocs' live preview (in its process).
_BEFORE_EACH_BUILD: list[Callable[[], None]] = []

WORKER_FILE = Path("search") / "worker.js"
LUNR_FILE = Path("search") / "lunr.js"  # the worker imports it from its own folder
_PAGE_CONFIG = re.compile(r'<script id="__config" type="application/json">.*?</script>', re.S)
_MATERIAL_WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js")


def before_each_build(generate: Callable[[], None]) -> None:
    """Run `generate` before each build of this process (`dossier serve`)."""
    _BEFORE_EACH_BUILD.append(generate)


# A LegacyConfig, as when no config class is given. The ignore: mkdocs'
# BasePlugin.__init_subclass__ has no annotations (untyped in a typed library).
class DossierSearchPlugin(BasePlugin[LegacyConfig]):  # type: ignore[no-untyped-call]
    config_scheme = (("offline", config_options.Type(bool, default=False)),)

    def __init__(self) -> None:
        self.names: dict[str, list[str]] = {}
        self.tiles: str | None = None  # the origin of the map tiles, if mkdocs.yml names one
        self.language: str | None = None  # theme.language: the dossier's
        self.previews: dict[str, str] = {}  # offline: a page's preview twin, by its URL

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
        self.previews = {}
        self.tiles = tile_origin(config.extra.get("map_tiles"))
        if self.offline:  # before Material's bundle: the page's `Worker` under file://
            config.extra["polyfills"] = [*config.extra.get("polyfills", []), PAGE_WORKER.as_posix()]
        self.language = config.theme.get("language")
        config.theme.dirs[:] = theme_dirs(config.theme.dirs, config.theme.custom_dir)
        return config

    @property
    def offline(self) -> bool:
        return bool(self.config["offline"])

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        files.append(File.generated(config, PREVIEW_SCRIPT, content=preview_script(self.offline)))
        return files

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env.bytecode_cache = compiled_templates()
        return env

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        for generate in _BEFORE_EACH_BUILD:
            generate()

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        names = (page.meta.get("search") or {}).get("names")
        if isinstance(names, list):
            self.names[page.url] = [str(name) for name in names]
        return context

    def on_template_context(
        self, context: TemplateContext, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        context["dossier_ui"] = ui_words(self.language)  # type: ignore[typeddict-unknown-key]
        return context

    @event_priority(-100)  # the policy lists the final scripts: after other plugins
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        html = self.finish(output)
        if self.offline and page.url is not None and is_previewed(page.url):
            twin = preview_twin(page.url, html)
            if twin is not None:
                self.previews[urls.preview_twin(page.url)] = twin
        return html

    @event_priority(-100)
    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        if not template_name.endswith(".html"):  # sitemap.xml
            return output_content
        return self.finish(output_content)  # 404.html

    def finish(self, html: str) -> str:
        """A page as the site serves it: its search dialog named, its search worker
        this plugin's, its links naming index.html when offline and, last, its
        Content-Security-Policy."""
        html = use_own_worker(name_search_dialog(html, self.language))
        return with_policy(offline_links(html) if self.offline else html, self.tiles)

    @event_priority(-100)  # after Material's search plugin has written the index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site = Path(config.site_dir)
        data = augment_index(json.loads((site / INDEX_FILE).read_text("utf-8")), self.names)
        shutil.rmtree(site / TEXT_FOLDER, ignore_errors=True)  # a dirty build's old files
        (site / TEXT_FOLDER).mkdir()
        files = prebuilt_files(offline_entries(data) if self.offline else data)
        if self.offline:
            files |= script_twins(files) | offline_files(WORKER_FILE, LUNR_FILE)
        for path, content in files.items():
            (site / path).write_text(content, encoding="utf-8")
        worker = resources.files("generator").joinpath("data/search-worker.js")
        (site / WORKER_FILE).write_bytes(worker.read_bytes())
        (site / LUNR_FILE).write_bytes(lunr_js())
        if self.offline:
            with_offline_data(site)
            for twin_path, twin in sorted(self.previews.items()):
                (site / twin_path).write_text(twin, encoding="utf-8")


def with_offline_data(site: Path) -> None:
    """The map's and network's data with their links naming index.html."""
    for script in (site / urls.MAP_DATA, site / urls.NETWORK_DATA, site / urls.TIMELINE_DATA):
        if script.is_file():
            script.write_text(offline_data_script(script.read_text("utf-8")), encoding="utf-8")


def use_own_worker(html: str) -> str:
    """The page with its Material configuration naming this plugin's search worker."""
    return _PAGE_CONFIG.sub(
        lambda script: _MATERIAL_WORKER.sub(WORKER_FILE.as_posix(), script.group()), html
    )


def lunr_js() -> bytes:
    """lunr.js as MkDocs ships it for its own search: the version lunr.py's indexes load in."""
    try:
        return (
            resources.files("mkdocs.contrib.search")
            .joinpath("templates/search/lunr.js")
            .read_bytes()
        )
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise PluginError(f"dossier-search: MkDocs' lunr.js not found ({error})") from error
