"""Small text helpers shared by the pipeline stages: typography and folding.

`normalise_typography` maps characters one to one, so that offsets found in the
normalised text are valid in the original text too: mentions are located by NLP on
the normalised text and displayed from the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from slugify import slugify

# One character in, one character out: offsets must survive normalisation.
_TYPOGRAPHY = str.maketrans(
    {
        "\u2019": "'",  # right single quotation mark, the French apostrophe
        "\u2018": "'",
        "\u02bc": "'",  # modifier letter apostrophe
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00a0": " ",  # no-break space (before « ; : ! ? in French)
        "\u202f": " ",  # narrow no-break space
        "\u2009": " ",
        "\u2007": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u00ad": "-",  # soft hyphen, kept as one character
    }
)


def normalise_typography(text: str) -> str:
    """Straight apostrophes and quotes, plain spaces and hyphens; same length as the input."""
    return text.translate(_TYPOGRAPHY)


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=1 << 17)  # the same names are folded again and again, at every stage
def fold(text: str) -> str:
    """Fold case, accents, hyphens and punctuation: `l’État-Major` -> `l etat major`."""
    text = strip_accents(normalise_typography(text)).casefold()
    return _NON_WORD.sub(" ", text).strip()


def make_slug(text: str, max_length: int = 0, word_boundary: bool = False) -> str:
    """The slug of a page address: made ASCII by text-unidecode whatever else is
    installed (with `unidecode` present, python-slugify's default would give other
    slugs; trying to import it for each slug took 3 s at 10,000 articles)."""
    return slugify(
        text, max_length=max_length, word_boundary=word_boundary, backend="text-unidecode"
    )
