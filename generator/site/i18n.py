"""The site's words in the dossier's language: gettext, with French as the source strings.

The templates and the site modules write their words in French, marked for translation
(`_`, `n_` and, in templates, `ngettext`); `generator/locale/<language>/dossier.po` gives
the other languages (English). The catalog is read with Babel when a site is rendered:
no compiled `.mo` file to keep in step. French needs no catalog: its words are the
source strings, with French agreement (`1 mort`, `0 mort`, `2 morts`: singular below 2).

`words(language)` is the one place where the dossier's language (`default_language`,
by default mkdocs.yml `theme.language`) chooses the words; an unknown language gets the
French ones. Numbers, month names and digit groups come from Babel's CLDR data.
"""

from __future__ import annotations

import functools
import gettext
from dataclasses import dataclass
from importlib import resources
from io import BytesIO
from pathlib import Path

from babel.dates import get_month_names
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import get_group_symbol
from babel.support import Translations

SOURCE_LANGUAGE = "fr"
DOMAIN = "dossier"
LOCALE_DIR = Path(str(resources.files("generator").joinpath("locale")))


def N_(msgid: str) -> str:
    """Marks a word for the catalog where it is declared; translated where it is shown."""
    return msgid


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a singular and plural pair for the catalog (see `N_`)."""
    return singular, plural


class FrenchAgreement(gettext.NullTranslations):
    """The source strings themselves, singular below 2 (gettext's default is `n == 1`)."""

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return msgid1 if abs(n) < 2 else msgid2


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    """The languages the site speaks: French and those with a catalog."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return sorted({SOURCE_LANGUAGE, *found})


def read_catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


@functools.lru_cache(maxsize=4)
def translations(language: str) -> gettext.NullTranslations:
    if language == SOURCE_LANGUAGE or language not in languages():
        return FrenchAgreement()
    compiled = BytesIO()
    write_mo(compiled, read_catalog(language))
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@dataclass(frozen=True)
class Words:
    """The words of one language: translated, agreed with their numbers, formatted."""

    language: str
    catalog: gettext.NullTranslations

    def _(self, msgid: str, **values: object) -> str:
        text = self.catalog.gettext(msgid)
        return text % values if values else text

    def p_(self, context: str, msgid: str, **values: object) -> str:
        """`msgid` in a `context` where another language words it otherwise."""
        return self.catalog.pgettext(context, msgid) % values

    def n_(self, singular: str, plural: str, n: int, **values: object) -> str:
        """`%(num)s article` / `%(num)s articles` agreed with `n`; `num` is `n` with the
        language's digit groups unless given."""
        values.setdefault("num", self.number(n))
        return self.catalog.ngettext(singular, plural, n) % values

    def number(self, value: int) -> str:
        """`1 234` (a narrow no-break space) in French, `1,234` in English."""
        return f"{value:,}".replace(",", self.digit_group)

    @functools.cached_property
    def digit_group(self) -> str:
        return str(get_group_symbol(locale=self.language))

    def month(self, month: int) -> str:
        """`février`, `February`: the wide name, as it stands inside a date."""
        return str(get_month_names("wide", context="format", locale=self.language)[month])


@functools.lru_cache(maxsize=4)
def words(language: str | None) -> Words:
    """The words of the dossier's language (French when it has no catalog)."""
    chosen = language if language in languages() else SOURCE_LANGUAGE
    return Words(chosen, translations(chosen))
