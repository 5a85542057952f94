"""The theme's words in the dossier's language: a one-page MkDocs site with the
`dossier-search` plugin, in French and in English (no extraction: MkDocs alone)."""

from __future__ import annotations

import re

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

MKDOCS_YML = """
site_name: Test
docs_dir: docs
site_dir: site
theme:
  name: material
  language: {language}
  font: false
plugins:
  - search:
      fields:
        names: {{boost: 1000}}
        title_folded: {{boost: 1000}}
        text_folded: {{boost: 1}}
  - dossier-search
"""
WORDS = {
    "fr": ("Page introuvable", "Recherche"),
    "en": ("Page not found", "Search"),
}


def built_site(folder, language: str):
    (folder / "docs").mkdir()
    (folder / "docs" / "index.md").write_text("# Accueil\n\nTexte.\n", encoding="utf-8")
    config_file = folder / "mkdocs.yml"
    config_file.write_text(MKDOCS_YML.format(language=language), encoding="utf-8")
    build(load_config(str(config_file)))
    return folder / "site"


@pytest.mark.parametrize("language", sorted(WORDS))
def test_the_404_page_and_the_search_dialog_speak_the_dossier_s_language(tmp_path, language):
    site = built_site(tmp_path, language)
    not_found, search = WORDS[language]
    missing = (site / "404.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>(.*?)</h1>", missing)[1] == not_found
    assert "Not found" not in missing.replace(not_found, "")
    for page in (missing, (site / "index.html").read_text(encoding="utf-8")):
        dialog = re.search(r'<div class="md-search"[^>]*role="dialog"[^>]*>', page)
        assert dialog and f'aria-label="{search}"' in dialog[0]
