"""`dossier new` and `dossier --version`: commands outside the pipeline."""

from __future__ import annotations

from pathlib import Path

import click
from spacy.about import __version__ as spacy_version

from generator.cache.store import model_version
from generator.nlp.languages import DEFAULT_ENGLISH_MODEL, SUPPORTED
from generator.nlp.pipeline import DEFAULT_MODEL
from generator.scaffold import VERSION, Dossier, ScaffoldError, write_new_dossier


def version_text() -> str:
    """The tool's version and what its output depends on (the Pages workflow keys its
    extraction cache on it)."""
    models = "; ".join(f"{m} {model_version(m)}" for m in (DEFAULT_MODEL, DEFAULT_ENGLISH_MODEL))
    return f"dossier {VERSION} (spaCy {spacy_version}; {models})"


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", required=True, help="The dossier's title (site_name).")
@click.option(
    "--language",
    type=click.Choice(SUPPORTED),
    default="fr",
    show_default=True,
    help="The dossier's language: its site's and of articles too short to detect.",
)
@click.option(
    "--requirement",
    default=f"dossier=={VERSION}",
    show_default=True,
    help="What the dossier's Pages workflow installs (a pip requirement).",
)
def new(folder: Path, title: str, language: str, requirement: str) -> None:
    """Write a new dossier repository into FOLDER (new or empty): mkdocs.yml, an articles
    folder, corrections.yml, .gitignore, a README and a GitHub Pages workflow.

    Example: dossier new my-dossier --title "Floods in Valencia, 2024" --language en
    """
    try:
        written = write_new_dossier(folder, Dossier(title, language, requirement=requirement))
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from error
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"Put articles in {folder / 'articles'}, then: cd {folder} && dossier build")
