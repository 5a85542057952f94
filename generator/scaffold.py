"""`dossier new DIR`: a ready dossier repository, like `mkdocs new`.

The files come from the templates of generator/data/new/ (Jinja, with `[[ ]]` for
variables so that GitHub's `${{ }}` and YAML stay as they are). This repository's own
`mkdocs.yml`, `content/a-propos.md` and `.github/workflows/pages.yml` are the same
templates rendered for the sample dossier (`sample_files`; a test keeps them equal).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import jinja2

from generator.errors import BuildError
from generator.nlp.languages import SUPPORTED
from generator.site.i18n import N_, words

VERSION = metadata.version("dossier")
ARTICLES = "articles"
CORRECTIONS = "corrections.yml"
PAGES_WORKFLOW = ".github/workflows/pages.yml"

# The words of the mkdocs.yml nav, palette and permalinks, in French (the catalog's source
# strings; `scaffold_words` gives them in the dossier's language).
WORDS = {
    "description": N_("Dossier généré par dossier à partir d'articles de presse."),
    "dark": N_("Mode sombre"),
    "light": N_("Mode clair"),
    "permalink": N_("Lien permanent"),
    "home": N_("Accueil"),
    "people": N_("Personnes"),
    "places": N_("Lieux"),
    "organisations": N_("Organisations"),
    "sources": N_("Sources"),
    "timeline": N_("Chronologie"),
    "map": N_("Carte"),
    "network": N_("Réseau"),
    "about": N_("À propos"),
}
ABOUT = {"fr": "a-propos.md", "en": "about.md"}


@dataclass(frozen=True)
class Dossier:
    """What a new dossier repository is made of."""

    title: str
    language: str = "fr"
    articles: str = ARTICLES
    corrections: str = CORRECTIONS
    corrections_in_mkdocs: bool = True  # else in the articles folder, the default
    requirement: str = f"dossier=={VERSION}"  # what its Pages workflow installs


def scaffold_words(language: str) -> dict[str, str]:
    said = words(language)
    return {key: said._(msgid) for key, msgid in WORDS.items()}


class ScaffoldError(BuildError):
    """A new dossier cannot be written there; nothing was written."""


def files_of(dossier: Dossier) -> dict[str, str]:
    """Each file of the new repository (relative path -> text)."""
    if dossier.language not in SUPPORTED:
        raise ScaffoldError(f"language must be one of {', '.join(SUPPORTED)}")
    about = ABOUT[dossier.language]
    context = {
        **vars(dossier),
        "about": about,
        "version": VERSION,
        "words": scaffold_words(dossier.language),
    }
    files = {
        "mkdocs.yml": "mkdocs.yml.j2",
        f"content/{about}": "about.md.j2",
        f"{dossier.articles}/README": "articles-README.j2",
        ".gitignore": "gitignore.j2",
        "README.md": "README.md.j2",
        PAGES_WORKFLOW: "pages.yml.j2",
    }
    written = {path: _render(template, context) for path, template in files.items()}
    written[dossier.corrections] = _template_text("corrections.yml")
    return written


def sample_files() -> dict[str, str]:
    """The files of this repository that are the templates rendered for the sample."""
    sample = Dossier(
        title="Dossier : frappes irakiennes contre Daech en Syrie (2017)",
        articles="seeds",
        corrections="seeds/corrections.yml",
        corrections_in_mkdocs=False,
        requirement=".",  # the checkout itself
    )
    files = files_of(sample)
    return {p: files[p] for p in ("mkdocs.yml", "content/a-propos.md", PAGES_WORKFLOW)}


def write_new_dossier(folder: Path, dossier: Dossier) -> list[Path]:
    """Write a new dossier into `folder` (made if missing, refused if not empty)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} is not an empty folder: nothing written")
    files = files_of(dossier)
    written = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _template_text(name: str) -> str:
    return resources.files("generator").joinpath("data", "new", name).read_text("utf-8")


def _render(name: str, context: dict[str, object]) -> str:
    environment = jinja2.Environment(
        variable_start_string="[[",
        variable_end_string="]]",
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # YAML, Markdown and text files, written for their editors
    )
    environment.filters["yaml_string"] = lambda value: json.dumps(value, ensure_ascii=False)
    return environment.from_string(_template_text(name)).render(context)
