"""An English dossier as a user makes one: `dossier new --language en`, the English
articles of tests/english/ copied in, `dossier build --strict` run in its folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main

ENGLISH_ARTICLES = Path(__file__).parent / "english"


def build_english_dossier(folder: Path) -> Path:
    """The built site's folder."""
    runner = CliRunner()
    made = runner.invoke(main, ["new", str(folder), "--title", "Iraq", "--language", "en"])
    assert made.exit_code == 0, made.output
    for path in sorted(ENGLISH_ARTICLES.iterdir()):
        shutil.copy(path, folder / "articles" / path.name)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        built = runner.invoke(main, ["build", "--strict"])
    assert built.exit_code == 0, built.output
    return folder / "site"
