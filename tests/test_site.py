"""The whole pipeline on the sample dossier, down to the HTML that MkDocs builds."""

from __future__ import annotations

import filecmp
import re

import pytest

from generator.site.search_index import site_documents
from generator.site.urls import entity_page as entity_path

from .conftest import SEEDS, build_project

pytestmark = pytest.mark.slow


def entity_named(dossier, name):
    return next(e for e in dossier.entities if e.name == name)


def html_of(settings, page):
    return (settings.site_dir / page / "index.html").read_text(encoding="utf-8")


def test_aliases_of_one_entity_land_on_one_page(seeds_site):
    _, dossier = seeds_site
    expectations = {
        "Ali Maqsood": ("person", {"Ali Maqsood", "général Maqsoud"}),
        "Abou Kamal": ("place", {"Albou Kamal", "Abou Kamal"}),
        "Daech": ("organisation", {"Daech", "Daesh", "Etat islamique"}),
    }
    for name, (kind, surfaces) in expectations.items():
        entity = entity_named(dossier, name)
        assert entity.type == kind
        assert surfaces <= set(entity.aliases), entity.aliases


def test_every_page_kind_is_built(seeds_site):
    settings, _ = seeds_site
    for page in [
        "",
        "people",
        "places",
        "organisations",
        "sources",
        "a-propos",
        "people/ali-maqsood",
        "places/abou-kamal",
        "organisations/daech",
        "sources/001-8aa3180bd5d47c8b",
    ]:
        assert (settings.site_dir / page / "index.html").exists(), page


def test_each_mention_links_to_its_paragraph_and_back(seeds_site):
    settings, dossier = seeds_site
    entity = entity_named(dossier, "Ali Maqsood")
    page = html_of(settings, "people/ali-maqsood")
    for mention in entity.mentions:
        anchor = f"../../sources/{mention.article}/#p{mention.paragraph + 1}"
        assert f'href="{anchor}"' in page
        source = html_of(settings, f"sources/{mention.article}")
        paragraph = re.search(
            rf'<p class="dossier-paragraph" id="p{mention.paragraph + 1}">(.*?)</p>', source, re.S
        )
        assert paragraph, f"no paragraph p{mention.paragraph + 1}"
        assert 'href="../../people/ali-maqsood/"' in paragraph.group(1)
        assert mention.text.split()[-1] in paragraph.group(1)


def test_nav_lists_sections_not_entities(seeds_site):
    settings, _ = seeds_site
    about = html_of(settings, "a-propos")  # a hand-written page that links to no entity
    for section in ("Personnes", "Lieux", "Organisations", "Sources"):
        assert section in about
    assert "ali-maqsood" not in about and "organisations/daech" not in about


def test_site_makes_no_third_party_request(seeds_site):
    settings, _ = seeds_site
    for page in settings.site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", text):
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), f"{page}: {tag}"
    assert not list(settings.site_dir.rglob("*.woff*"))  # font: false, no web fonts


def test_search_index_covers_entities_and_sources(seeds_site):
    settings, _ = seeds_site
    docs = site_documents(settings.site_dir)
    assert "people/ali-maqsood/" in [d["location"] for d in docs]
    assert any("Hosaiba" in d["text"] for d in docs)
    index = (settings.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"lang":["fr"]' in index.replace(" ", "")


def test_two_builds_are_byte_identical(seeds_site, make_project):
    first, _ = seeds_site
    second = make_project(SEEDS)
    build_project(second)
    for folder in ("content", "site"):
        left, right = first.root / folder, second.root / folder
        files = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file())
        _, mismatch, errors = filecmp.cmpfiles(left, right, [str(f) for f in files], shallow=False)
        assert not mismatch and not errors, mismatch


def test_entity_paths_are_inside_their_section(seeds_site):
    _, dossier = seeds_site
    for entity in dossier.entities:
        assert re.fullmatch(r"(people|places|organisations)/[a-z0-9-]+\.md", entity_path(entity))
