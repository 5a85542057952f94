"""Acronyms defined in the text: `Conseil national pour la sauvegarde de la patrie (CNSP)`.

The name before the parenthesis is the acronym's expansion when the initials of its words
spell the acronym (function words may be skipped: `de`, `la`, `pour`, `of`, `the`), or
when it is an organisation's name right before the parenthesis: news in one language
gives the acronym of another (`National Council for the Safeguard of the Homeland
(CNSP)`, `Federal Security Service (FSB)`).
Extraction widens a mention to the whole expansion (a model often stops at `Conseil
national`) and adds the acronym as a mention; resolution puts the acronym, here and
everywhere else in the dossier, on the expansion's entity."""

from __future__ import annotations

import re
from functools import lru_cache

from generator.text import fold

# Words an expansion may leave out of its acronym, in French and English.
FUNCTION_WORDS = frozenset(
    {
        *("de", "du", "des", "d", "la", "le", "les", "l", "et", "en", "pour", "sur"),
        *("a", "au", "aux", "of", "the", "for", "and", "on", "in", "to"),
    }
)
MAX_LETTERS = 10  # as `_ACRONYM` reads them
MAX_TAIL = 60  # characters of lower-case words between a mention and its acronym
_ACRONYM = re.compile(rf"\s*\(\s*([A-ZÀ-Ý][A-ZÀ-Ý0-9]{{1,{MAX_LETTERS - 1}}})\s*\)")
_TAIL = re.compile(r"(?:[\s'’-]+[^\W\d_A-ZÀ-Ý][\w'’-]*)*")  # lower-case words only
_WORD = re.compile(r"[^\W_]+")
_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")


def acronym_after(
    text: str, start: int, end: int, organisation: bool = False
) -> tuple[int, int, int] | None:
    """For a name at text[start:end]: (the expansion's end, the acronym's start and end)
    when an acronym in parentheses follows that the name, with the lower-case words
    between, spells, or that follows the name of an `organisation` right away; else
    None."""
    tail = _TAIL.match(text, end)
    ends = [end] if tail is None or tail.end() - end > MAX_TAIL else [tail.end(), end]
    for expansion_end in ends:
        acronym = _ACRONYM.match(text, expansion_end)
        if acronym is None:
            continue
        expansion = text[start:expansion_end]
        given = organisation and expansion_end == end and _unspelled_acronym(acronym.group(1))
        if (given and len(expansion.split()) > 1) or spells(acronym.group(1), expansion):
            return expansion_end, acronym.start(1), acronym.end(1)
    return None


def acronym_evidence(expansion: str) -> str:
    """The evidence of an acronym's mention: the name it was given after."""
    return f"acronym of {expansion}"


def _unspelled_acronym(word: str) -> bool:
    """Capitals (digits allowed), at least two letters: `CNSP`, `G7`; not a Roman
    numeral (`Louis (XIV)`, `(II)`)."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and word.isupper() and not _ROMAN.fullmatch(word)


def spells(acronym: str, name: str) -> bool:
    """Whether the initials of a name's words spell the acronym, function words being
    free to count or not: `CNSP` of `Conseil national pour la sauvegarde de la patrie`."""
    letters = fold(acronym)
    if not 2 <= len(letters) <= MAX_LETTERS or not letters.isalnum():
        return False  # not an acronym: `Paris` after `Lyon` is never compared
    words = tuple(_WORD.findall(fold(name)))
    return len(words) > 1 and _spells(letters, words)


@lru_cache(maxsize=4096)
def _spells(letters: str, words: tuple[str, ...]) -> bool:
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    if letters and word[0] == letters[0] and _spells(letters[1:], rest):
        return True
    return word in FUNCTION_WORDS and _spells(letters, rest)
