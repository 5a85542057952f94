"""The catalog's upkeep: the French words the site uses, found by Babel, and the update
of the other languages' `.po` files (a maintainer's tool, run from a checkout).

    python -m generator.site.catalog      # adds the new words to each .po, untranslated

The words are the strings marked in `generator/**.py` (`_`, `plain_`, `N_`, `n_`, `Nn_`,
`p_` with a context),
in `site_templates/**.j2` (`_`, `ngettext`, `plain_`) and the event types' labels of
`generator/data/events.yml`. tests/test_i18n.py checks that every one is translated.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from generator.site.i18n import DOMAIN, SOURCE_LANGUAGE, catalog_path, languages, read_catalog

ROOT = Path(__file__).resolve().parents[2]  # the repository
KEYWORDS: dict[str, Any] = {
    "_": None,
    "plain_": None,
    "N_": None,
    "n_": (1, 2),
    "Nn_": (1, 2),
    "p_": ((1, "c"), 2),
    "ngettext": (1, 2),
}
METHODS = [
    ("generator/**.py", "python"),
    ("site_templates/**.j2", "jinja2.ext:babel_extract"),
    ("generator/data/events.yml", "generator.site.catalog:extract_event_labels"),
]
OPTIONS = {
    "site_templates/**.j2": {
        "extensions": "jinja2.ext.i18n",
        "trim_blocks": "true",
        "lstrip_blocks": "true",
    }
}
Message = tuple[str | tuple[str, ...], str | None]  # (a word or its two forms, context)


def extract_event_labels(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, None, str, list[str]]]:
    """The labels of the event types (a Babel extraction method)."""
    types: dict[str, Any] = yaml.safe_load(fileobj)["types"]
    for entry in types.values():
        yield 1, None, entry["label"], []


def source_messages(root: Path = ROOT) -> dict[Message, str]:
    """Every word the site uses, with the first file that uses it."""
    found: dict[Message, str] = {}
    for filename, _line, message, _comments, context in extract_from_dir(
        root, METHODS, OPTIONS, KEYWORDS, strip_comment_tags=True
    ):
        found.setdefault((message, context), filename)
    return found


def updated(catalog: Catalog, messages: list[Message]) -> Catalog:
    """The catalog with exactly `messages`, the translations it had kept."""
    fresh = Catalog(  # the header as it was: a run that adds no word changes nothing
        locale=catalog.locale,
        domain=DOMAIN,
        header_comment=catalog.header_comment,
        project="dossier",
        creation_date=catalog.creation_date,
        revision_date=catalog.revision_date,
        last_translator=catalog.last_translator,
        language_team=catalog.language_team,
        fuzzy=False,
    )
    for message, context in messages:
        known = catalog.get(message[0] if isinstance(message, tuple) else message, context)
        empty = ("", "") if isinstance(message, tuple) else ""
        first = message[0] if isinstance(message, tuple) else message
        fresh.add(
            message,
            known.string if known is not None else empty,
            flags=["python-format"] if "%(" in first else [],
            context=context,
        )
    return fresh


def main() -> None:
    messages = list(source_messages())
    for language in languages():
        if language == SOURCE_LANGUAGE:
            continue
        catalog = updated(read_catalog(language), messages)
        with catalog_path(language).open("wb") as file:
            write_po(file, catalog, no_location=True, width=88)
        untranslated = [m.id for m in catalog if m.id and not m.string]
        print(f"{catalog_path(language)}: {len(untranslated)} untranslated", file=sys.stderr)


if __name__ == "__main__":
    main()
