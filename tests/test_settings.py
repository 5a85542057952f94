"""Settings: declared once, read by the command line, mkdocs.yml and the docs."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from generator.cli.main import main
from generator.cli.options import command_settings
from generator.settings import declared, flag_of, settings_table

from .conftest import ROOT


def test_the_configuration_page_table_is_made_from_the_declaration():
    page = (ROOT / "docs" / "pages" / "configuration.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- settings-table[^>]*-->\n(.*?)<!-- /settings-table -->", page, re.S)
    assert table is not None and table[1] == settings_table()


def test_every_declared_setting_is_an_option_of_build():
    result = CliRunner().invoke(main, ["build", "--help"])
    for setting in declared():
        assert flag_of(setting) in result.output


def test_mkdocs_yml_sets_defaults_and_the_command_line_wins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nextra:\n  dossier:\n    articles: articles\n    jobs: 3\n",
        encoding="utf-8",
    )
    settings = command_settings(jobs=None, articles=None)
    assert (settings.articles.as_posix(), settings.jobs) == ("articles", 3)
    assert command_settings(jobs=1).jobs == 1


def test_the_dossier_language_is_the_theme_language_unless_set(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mkdocs = tmp_path / "mkdocs.yml"
    mkdocs.write_text("site_name: x\ntheme:\n  name: material\n  language: en\n", "utf-8")
    assert command_settings(default_language=None).default_language == "en"
    assert command_settings(default_language="fr").default_language == "fr"
    mkdocs.write_text("site_name: x\ntheme:\n  language: de\n", "utf-8")  # not supported
    assert command_settings(default_language=None).default_language == "fr"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    artciles: x\n", "unknown setting(s) artciles"),
        ("    jobs: 0\n", "jobs must be at least 1"),
        ("    strict: maybe\n", "strict must be true or false"),
        ("    search_text: most\n", "search_text must be one of auto, full, lead"),
    ],
)
def test_a_bad_setting_in_mkdocs_yml_is_an_error_naming_the_file(
    tmp_path, monkeypatch, extra, message
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: x\nextra:\n  dossier:\n{extra}", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["extract"])
    assert result.exit_code == 1
    assert "mkdocs.yml: extra.dossier" in result.output and message in result.output
