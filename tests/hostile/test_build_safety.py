"""What the build writes, where, and what it never touches (fast: no model, no MkDocs)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
import yaml
from click.testing import CliRunner

from generator.cli.main import main
from generator.corrections import Corrections
from generator.corrections.entities import CuratedEntity
from generator.errors import BuildError
from generator.ingest.read import printable
from generator.model import build_dossier
from generator.records import Mention, Page
from generator.resolve.entities import resolve
from generator.settings import Settings
from generator.site.build import reproducible_epoch
from generator.site.folders import check_folders
from generator.site.render import render_pages
from generator.site.write import MANIFEST, write_pages
from tests.factories import article as make_article

from ..conftest import ROOT, copy_project
from .bad_inputs import CASES, write_corpus


def snapshot(folder):
    """Every file under a folder with its bytes (links as their target)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            files[str(path.relative_to(folder))] = ("link", str(path.readlink()))
        elif path.is_file():
            files[str(path.relative_to(folder))] = path.read_bytes()
    return files


# --- pages: manifest, removal, hand-written pages ----------------------------------------


def pages(**texts):
    return [Page(path.replace("__", "/") + ".md", text) for path, text in texts.items()]


def test_a_page_no_longer_generated_is_removed(tmp_path):
    write_pages(pages(index="home", sources__a="A", sources__b="B"), tmp_path)
    report = write_pages(pages(index="home", sources__a="A"), tmp_path)
    assert report.removed == ["sources/b.md"]
    assert not (tmp_path / "sources" / "b.md").exists()
    assert (tmp_path / "sources" / "a.md").read_text(encoding="utf-8") == "A"
    assert report.unchanged == 2 and report.written == []


def test_empty_generated_folders_are_removed_but_not_the_content_folder(tmp_path):
    write_pages(pages(index="home", people__x="X"), tmp_path)
    write_pages(pages(index="home"), tmp_path)
    assert not (tmp_path / "people").exists()
    assert tmp_path.is_dir()


def test_hand_written_pages_are_never_deleted_nor_overwritten(tmp_path):
    (tmp_path / "a-propos.md").write_text("à la main", encoding="utf-8")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "notes.md").write_text("mes notes", encoding="utf-8")
    write_pages(pages(index="home", sources__a="A"), tmp_path)
    write_pages(pages(index="home"), tmp_path)
    assert (tmp_path / "a-propos.md").read_text(encoding="utf-8") == "à la main"
    assert (tmp_path / "sources" / "notes.md").read_text(encoding="utf-8") == "mes notes"


def test_a_hand_written_page_in_the_way_stops_the_build_before_any_write(tmp_path):
    (tmp_path / "index.md").write_text("ma page d'accueil", encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(BuildError, match="hand-written page is in the way"):
        write_pages(pages(index="home", sources__a="A"), tmp_path)
    assert snapshot(tmp_path) == before


def test_a_generated_page_edited_by_hand_is_kept_when_no_longer_generated(tmp_path):
    write_pages(pages(index="home", sources__a="A"), tmp_path)
    (tmp_path / "sources" / "a.md").write_text("A, annoté à la main", encoding="utf-8")
    report = write_pages(pages(index="home"), tmp_path)
    assert (tmp_path / "sources" / "a.md").read_text(encoding="utf-8") == "A, annoté à la main"
    assert any("edited by hand, no longer generated: kept" in n for n in report.notes)
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert manifest == {"generated": {"index.md": manifest["generated"]["index.md"]}}


def test_a_manifest_cannot_make_the_build_delete_outside_the_content_folder(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / "precious.md").write_text("x", encoding="utf-8")
    (content / MANIFEST).write_text(json.dumps({"generated": ["../precious.md"]}))
    with pytest.raises(BuildError, match="refusing to write outside"):
        write_pages(pages(index="home"), content)
    assert (tmp_path / "precious.md").exists()


def test_an_unreadable_manifest_is_a_clear_error(tmp_path):
    (tmp_path / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(BuildError, match="unreadable manifest"):
        write_pages(pages(index="home"), tmp_path)


# --- output folders that overlap the inputs ---------------------------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("site", "seeds"),  # would replace the articles by the site
        ("site", "."),  # would replace the whole project
        ("site", "site_templates"),
        ("content", "seeds"),
        ("content", "seeds/pages"),
        ("content", "site"),
    ],
)
def test_output_folders_that_overlap_the_inputs_are_refused(tmp_path, option, value):
    settings = copy_project(tmp_path / "project", {"a.txt": "Titre\nTexte."})
    settings = Settings(root=settings.root, **{option: settings.root / value})
    before = snapshot(settings.root)
    with pytest.raises(BuildError, match="overlap"):
        check_folders(settings)
    result = run_cli(settings, f"--{option}", value)
    assert result.exit_code == 1
    assert "overlap" in result.output
    assert snapshot(settings.root) == before


# --- strict mode through the real command line -------------------------------------------


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory):
    settings = copy_project(tmp_path_factory.mktemp("corpus") / "project")
    write_corpus(settings.articles_dir)
    return settings


def run_cli(settings, *arguments):
    """`dossier build` run in the project folder, as a user would."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(settings.root)
        return CliRunner().invoke(main, ["build", *arguments], catch_exceptions=False)


def test_strict_fails_with_the_full_list_before_writing_anything(corpus_project):
    settings = corpus_project
    before = snapshot(settings.root)
    result = run_cli(settings, "--strict")
    assert result.exit_code == 1
    output = result.output
    assert "strict mode" in output
    flagged = [c for c in CASES if c.message is not None]
    for case in flagged:
        assert f"{printable(case.name)}: " in output, case.name
        assert case.message in output, case.name
    clean = [c for c in CASES if c.message is None and c.expect != "source"]
    for case in clean:
        assert f"/{case.name}:" not in output, case.name
    assert snapshot(settings.root) == before  # nothing written: no page, no site


def test_a_broken_template_is_a_clear_error_before_the_model_is_loaded(tmp_path):
    settings = copy_project(tmp_path / "project", {"a.txt": "Titre\nTexte."})
    template = settings.templates_dir / "entity.md.j2"
    template.write_text("# {{ entity.name }\n{% for x in %}\n", encoding="utf-8")
    before = snapshot(settings.root)
    result = run_cli(settings)
    assert result.exit_code == 1
    assert f"{template}:1: template error" in result.output
    assert snapshot(settings.root) == before


def test_a_broken_mkdocs_config_is_a_clear_error(tmp_path):
    settings = copy_project(tmp_path / "project", {"a.txt": "Titre\nTexte."})
    settings.mkdocs_file.write_text("site_name: [unclosed\n", encoding="utf-8")
    result = run_cli(settings)
    assert result.exit_code == 1
    assert f"error: {settings.mkdocs_file}: not valid YAML" in result.output


# --- corrections ---------------------------------------------------------------------------


def test_one_alias_given_to_two_entities_stops_the_build_with_the_line(tmp_path):
    settings = copy_project(tmp_path / "project", {"a.txt": "Titre\nTexte."})
    (settings.articles_dir / "corrections.yml").write_text(
        "entities:\n"
        "  - name: Abou Kamal\n    type: place\n    aliases: [Boukamal]\n"
        "  - name: Al-Qaim\n    type: place\n    aliases: [Boukamal]\n",
        encoding="utf-8",
    )
    result = run_cli(settings)
    assert result.exit_code == 1
    assert "corrections.yml:5: alias 'Boukamal' is given to both 'Abou Kamal' (line 2)" in (
        result.output
    )


# --- entity names: slugs and paths ------------------------------------------------------

HOSTILE_NAMES = [
    "../../etc/passwd",
    "%2e%2e/%2e%2e/x",
    "a\x00b",
    "🔥🔥",
    "💥",
    "داعش",
    "Index",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "Абоу Камал",  # slugifies like the curated `Abou Kamal`
    "Abou Kamal",
]


def hostile_dossier():
    paragraph = " ; ".join(HOSTILE_NAMES)
    article = make_article(paragraph, title="Titre", language="fr")
    mentions, start = [], 0
    for name in HOSTILE_NAMES:
        mentions.append(
            Mention("a", 0, start, start + len(name), name, "place", paragraph, 0, "model")
        )
        start += len(name) + 3
    curated = CuratedEntity(
        name="Abou Kamal",
        type="place",
        aliases=("Abou Kamal",),
        description="<script>alert('description')</script> **gras** {{ 7*7 }}",
        line=2,
    )
    entities = resolve(mentions, Corrections((curated,), frozenset(), "corrections.yml"))
    return build_dossier([article], entities)


def test_hostile_entity_names_get_safe_distinct_pages_inside_the_content_folder(tmp_path):
    dossier = hostile_dossier()
    by_name = {e.name: e for e in dossier.entities}
    assert by_name["Abou Kamal"].slug == "abou-kamal"  # the curated entity keeps its address
    assert by_name["Абоу Камал"].slug == "abou-kamal-2"
    assert by_name["Index"].slug != "index"
    content = tmp_path / "content"
    written = render_pages(dossier, ROOT / "site_templates")
    paths = [p.path for p in written]
    assert len(paths) == len(set(paths))
    write_pages(written, content)
    for path in snapshot(tmp_path):
        assert path.startswith("content/"), path
        assert ".." not in path and "\x00" not in path
    names = {e.name for e in dossier.entities}
    assert names == set(HOSTILE_NAMES) - {"🔥🔥", "💥"}  # no letter at all: not a name
    index = (content / "places" / "index.md").read_text(encoding="utf-8")
    for entity in dossier.entities:
        assert f"]({entity.slug}.md)" in index


def test_hostile_names_and_descriptions_are_escaped_in_the_markdown():
    dossier = hostile_dossier()
    for page in render_pages(dossier, ROOT / "site_templates"):
        _, front, body = page.text.split("---\n", 2)
        yaml.safe_load(front)  # metadata stays valid YAML: data, never markup
        assert "<script>" not in body, page.path
        assert "{{ 7*7 }}" not in body, page.path
        assert "**gras**" not in body, page.path
        assert "\x00" not in page.text, page.path


# --- reproducible dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "epoch"),
    [
        (None, "0"),
        (dt.date(1600, 1, 1), "0"),  # before 1970: gzip headers cannot hold it
        (dt.date(2017, 2, 24), "1487894400"),
        (dt.date(2199, 12, 31), str(2**32 - 1)),  # after 2106: neither
    ],
)
def test_source_date_epoch_fits_the_sitemap_and_its_gzip_header(date, epoch):
    article = hostile_dossier().articles[0]
    assert reproducible_epoch([replace(article, date=date)]) == epoch


def test_a_linked_folder_cannot_take_the_pages_out_of_the_content_folder(tmp_path):
    content, outside = tmp_path / "content", tmp_path / "outside"
    content.mkdir()
    outside.mkdir()
    (content / "sources").symlink_to(outside, target_is_directory=True)
    with pytest.raises(BuildError, match="refusing to write outside"):
        write_pages(pages(index="home", sources__a="A"), content)
    assert not list(outside.iterdir())
