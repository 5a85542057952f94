"""Incremental pages: a rebuild renders only the pages whose inputs changed (an article,
a template, a correction), keeps the others' files, and gives the content folder a clean
build gives, byte for byte."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.pipeline import Stage, run
from generator.records import Dossier, Page
from generator.settings import Settings
from generator.site import urls
from generator.site.pages import dossier_pages
from generator.site.write import MANIFEST, KeptPages, read_manifest, write_pages

from .conftest import SEEDS, copy_project

NEW_ARTICLE = (
    "---\ntitle: Nouvelle frappe sur Abou Kamal\ndate: 2017-03-01\n---\n"
    "Selon l'armée irakienne, des frappes aériennes ont visé Albou Kamal le 28 février 2017.\n\n"
    "Le général Maqsoud a salué ces frappes, qui ont fait 12 morts.\n"
)


def build(settings: Settings) -> tuple[Dossier, list[Page]]:
    """The render stage as the pipeline runs it: the pages, then written."""
    state = run(settings, Stage.MODEL, replay=False)
    assert state.dossier is not None
    pages = dossier_pages(state.dossier, settings)
    write_pages(pages, settings.content_dir)
    return state.dossier, pages


def rendered(pages: list[Page]) -> set[str]:
    """The pages made from a few records that were rendered rather than kept."""
    return {page.path for page in pages if page.inputs is not None and not page.kept}


def per_record(pages: list[Page]) -> set[str]:
    return {page.path for page in pages if page.inputs is not None}


def files(content: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(content.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            found[path.relative_to(content).as_posix()] = path.read_bytes()
    return found


def clean_build(settings: Settings, folder: Path) -> dict[str, bytes]:
    """The content folder a first build of the same inputs writes (same extraction cache:
    its entries are keyed by what they are made from)."""
    clean = copy_project(folder, settings.articles_dir)
    shutil.copytree(settings.templates_dir, folder / "site_templates", dirs_exist_ok=True)
    assert settings.cache_dir is not None and clean.cache_dir is not None
    shutil.copytree(settings.cache_dir, clean.cache_dir)
    _, pages = build(clean)
    assert not any(page.kept for page in pages)
    assert read_manifest(clean.content_dir) == read_manifest(settings.content_dir)
    return files(clean.content_dir)


def pages_citing(dossier: Dossier, slug: str) -> set[str]:
    """The pages of one article's records: its source page, the entities it mentions
    (and their pages of mentions), the events it tells and the pages of their places and
    actors (an entity's page groups its mentions by the accounts of its events)."""
    entities = [linked.entity for linked in dossier.mentions_by_article.get(slug, [])]
    cited = {urls.source_page(slug)}
    for event in dossier.events:
        if slug in event.articles:
            cited.add(urls.event_page(event))
            entities += [*event.places, *event.actors]
    for entity in entities:
        cited |= {urls.entity_page(entity), urls.entity_mentions_page(entity)}
    return cited


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    settings = copy_project(tmp_path / "project", SEEDS)
    _, pages = build(settings)
    assert not any(page.kept for page in pages)
    return settings


def test_a_rebuild_with_nothing_changed_renders_no_page(project: Settings) -> None:
    before = files(project.content_dir)
    _, pages = build(project)
    assert per_record(pages) and rendered(pages) == set()
    assert files(project.content_dir) == before


def test_an_added_article_renders_only_the_pages_citing_it(
    project: Settings, tmp_path: Path
) -> None:
    before = files(project.content_dir)
    (project.articles_dir / "nouvelle.md").write_text(NEW_ARTICLE, encoding="utf-8")
    dossier, pages = build(project)
    after = files(project.content_dir)
    new = dossier.articles[[a.filename for a in dossier.articles].index("nouvelle.md")].slug
    changed = {path for path in per_record(pages) if before.get(path) != after.get(path)}
    assert urls.source_page(new) in rendered(pages)
    assert changed <= rendered(pages) <= pages_citing(dossier, new) | changed
    others = {urls.source_page(a.slug) for a in dossier.articles if a.slug != new}
    assert others and not others & rendered(pages)
    assert after == clean_build(project, tmp_path / "clean")


def test_an_edited_article_renders_its_pages_again(project: Settings, tmp_path: Path) -> None:
    article = sorted(project.articles_dir.glob("*.txt"))[0]
    text = article.read_text(encoding="utf-8")
    before = files(project.content_dir)
    article.write_text(text.replace("Albou Kamal", "Abou Kamal", 1), encoding="utf-8")
    dossier, pages = build(project)
    after = files(project.content_dir)
    slug = next(a.slug for a in dossier.articles if a.filename == article.name)
    changed = {path for path in per_record(pages) if before.get(path) != after.get(path)}
    assert urls.source_page(slug) in changed
    assert changed <= rendered(pages) <= pages_citing(dossier, slug) | changed
    assert files(project.content_dir) == clean_build(project, tmp_path / "clean")


def test_a_template_edit_renders_the_pages_using_it(project: Settings, tmp_path: Path) -> None:
    template = project.templates_dir / "event.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\nFin du récit.\n", "utf-8")
    dossier, pages = build(project)
    events = {urls.event_page(event) for event in dossier.events}
    assert events and rendered(pages) == events
    assert files(project.content_dir) == clean_build(project, tmp_path / "clean")


def test_an_included_template_edit_renders_the_pages_including_it(
    project: Settings, tmp_path: Path
) -> None:
    template = project.templates_dir / "place_map.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n<!-- carte -->\n", "utf-8")
    dossier, pages = build(project)
    located = {urls.entity_page(e) for e in dossier.entities_of("place") if e.coordinates}
    assert located and located <= rendered(pages)
    assert not {urls.source_page(a.slug) for a in dossier.articles} & rendered(pages)
    assert files(project.content_dir) == clean_build(project, tmp_path / "clean")


def test_a_correction_edit_renders_the_pages_it_touches(project: Settings, tmp_path: Path) -> None:
    corrections = project.articles_dir / "corrections.yml"
    text = corrections.read_text(encoding="utf-8")
    old = "Premier ministre de l'Irak de 2014 à 2018."
    corrections.write_text(text.replace(old, "Chef du gouvernement irakien."), "utf-8")
    dossier, pages = build(project)
    abadi = next(e for e in dossier.entities if e.name == "Haïder al-Abadi")
    assert urls.entity_page(abadi) in rendered(pages)
    assert not {urls.source_page(a.slug) for a in dossier.articles} & rendered(pages)
    assert b"Chef du gouvernement irakien." in files(project.content_dir)[urls.entity_page(abadi)]
    assert files(project.content_dir) == clean_build(project, tmp_path / "clean")


def test_a_page_edited_by_hand_is_rendered_again(project: Settings) -> None:
    dossier, _ = build(project)
    page = urls.source_page(dossier.articles[0].slug)
    original = (project.content_dir / page).read_bytes()
    (project.content_dir / page).write_text("edited by hand\n", encoding="utf-8")
    _, pages = build(project)
    assert page in rendered(pages)
    assert (project.content_dir / page).read_bytes() == original


def test_an_unchanged_entity_keeps_its_pages_of_mentions_but_one_edited_by_hand(
    project: Settings,
) -> None:
    """An entity whose inputs did not change keeps all its pages without grouping its
    facts; a page of its mentions edited by hand is rendered again, as any page."""
    _, pages = build(project)
    page = next(p.path for p in pages if p.path.endswith("/mentions.md"))
    assert page in {p.path for p in pages if p.kept}
    original = (project.content_dir / page).read_bytes()
    (project.content_dir / page).write_text("edited by hand\n", encoding="utf-8")
    _, pages = build(project)
    assert page in rendered(pages)
    assert (project.content_dir / page).read_bytes() == original


def test_no_cache_renders_every_page(project: Settings) -> None:
    settings = Settings(root=project.root, read_cache=False)
    _, pages = build(settings)
    assert rendered(pages) == per_record(pages)


def test_a_page_edited_by_hand_is_rendered_again_when_the_last_build_is_recorded(
    project: Settings,
) -> None:
    """The pipeline checks a page by the size and time its last build recorded, then by
    its hash: a hand edit changes the time, and the page is rendered again."""
    run(project, Stage.RENDER)  # records the pages' stamps
    page = urls.source_page(
        sorted(p.stem for p in (project.content_dir / "sources").glob("*.md"))[0]
    )
    original = (project.content_dir / page).read_bytes()
    (project.content_dir / page).write_bytes(original.replace(b"#", b"=", 1))
    (project.articles_dir / "nouvelle.md").write_text(NEW_ARTICLE, encoding="utf-8")
    state = run(project, Stage.RENDER)
    assert state.report is not None and page in state.report.written
    assert (project.content_dir / page).read_bytes() == original


def test_a_page_whose_stamp_is_the_recorded_one_is_kept_without_reading_it(
    project: Settings,
) -> None:
    _, pages = build(project)
    page = next(p for p in pages if p.inputs is not None)
    target = project.content_dir / page.path
    status = target.stat()
    target.write_bytes(b"x" * status.st_size)  # not the text hashed in the manifest
    os.utime(target, ns=(status.st_atime_ns, status.st_mtime_ns))
    stamps = {page.path: [status.st_size, status.st_mtime_ns]}
    assert KeptPages(project.content_dir, stamps)(page.path, page.inputs)
    assert not KeptPages(project.content_dir, {})(page.path, page.inputs)
