"""What the site adds to Material's templates, in the dossier's language (`theme.language`).

- `generator/data/theme/` is a template folder the `dossier-search` plugin puts before
  Material's (after a `custom_dir` of mkdocs.yml, which still wins): its `404.html` says
  "page not found" in the dossier's language, where Material's says `404 - Not found`.
- Material's search box is a `role="dialog"` without a name (an axe-core violation on
  every page): `name_search_dialog` names it.
- `preview_script()` is `assets/dossier/preview.js` (generator/static/preview.js, after
  the folders whose pages it previews and, offline, the name of the pages' preview
  twins): hover previews of entity and event pages.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

from generator.site import urls
from generator.site.i18n import N_, words

THEME_DIR = Path(str(resources.files("generator").joinpath("data", "theme")))
PREVIEW_SCRIPT = "assets/dossier/preview.js"  # mkdocs.yml's `extra_javascript` names it
PREVIEWED_FOLDERS = [*urls.SECTIONS.values(), urls.EVENTS]  # entity and event pages

# The words the site's own theme templates say (in the catalog, see `i18n`); Material
# translates its own.
UI_WORDS = {
    "search": N_("Recherche"),
    "not_found": N_("Page introuvable"),
    "not_found_text": N_("Cette page n'existe pas, ou plus, dans ce dossier."),
    "back_home": N_("Retour à l'accueil"),
}

_SEARCH_DIALOG = re.compile(r'(<div class="md-search" data-md-component="search" role="dialog")>')


def ui_words(language: str | None) -> dict[str, str]:
    """The theme's words in `language`, or in French if it has no catalog."""
    said = words(language)
    return {key: said._(msgid) for key, msgid in UI_WORDS.items()}


def theme_dirs(dirs: list[str], custom_dir: str | None) -> list[str]:
    """The theme's template folders with this package's overrides before Material's."""
    own = str(THEME_DIR)
    rest = [folder for folder in dirs if folder != own]
    at = 1 if custom_dir else 0
    return [*rest[:at], own, *rest[at:]]


def name_search_dialog(html: str, language: str | None) -> str:
    label = ui_words(language)["search"]
    return _SEARCH_DIALOG.sub(lambda match: f'{match[1]} aria-label="{label}">', html, count=1)


def is_previewed(url: str) -> bool:
    """Whether links to the page at `url` (`people/x/`) get a hover preview."""
    parts = [part for part in url.split("/") if part]
    return len(parts) == 2 and parts[0] in PREVIEWED_FOLDERS


def preview_script(offline: bool = False) -> str:
    """preview.js after its settings: the folders it previews and, offline, the name of
    the script twin beside each page that it loads in place of fetching the page."""
    folders = json.dumps(PREVIEWED_FOLDERS)
    twin = json.dumps(urls.PREVIEW_TWIN if offline else None)
    script = resources.files("generator").joinpath("static", "preview.js").read_text("utf-8")
    return (
        f"window.dossierPreviewFolders = {folders};\nwindow.dossierPreviewTwin = {twin};\n{script}"
    )
