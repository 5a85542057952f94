"""Names the dossier knows, found where a model missed them.

A model misses a name in one sentence that it finds in another (`Col Maj Amadou
Abdramane`, `Energoatom` typed nothing): once resolution knows a name from some article,
each other whole-word, same-case occurrence of it in any article is a mention of that
entity too (origin `ruler`, evidence `dossier:<entity>`), and resolution runs again. Only
names worth it are looked for: written with a capital, of at least MIN_LENGTH letters, and
not a word the lexicon rejects."""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.nlp.lexicon import Lexicon
from generator.records import Article, Entity, Mention
from generator.text import fold

MIN_LENGTH = 4
MAX_WORDS = 8
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def known_names(entities: Iterable[Entity], lexicon: Lexicon) -> dict[tuple[str, ...], Entity]:
    """The names to look for, as tuples of words, and their entity."""
    names: dict[tuple[str, ...], Entity] = {}
    for entity in entities:
        for text in sorted({m.text for m in entity.mentions}):
            words = tuple(_WORD.findall(text))
            if _worth_it(text, words, lexicon):
                names.setdefault(words, entity)
    return names


def _worth_it(text: str, words: tuple[str, ...], lexicon: Lexicon) -> bool:
    letters = sum(c.isalpha() for c in text)
    capital = any(w[:1].isupper() for w in words)
    return (
        0 < len(words) <= MAX_WORDS
        and letters >= MIN_LENGTH
        and capital
        and fold(text) not in lexicon.rejected
        and " ".join(words) == text.strip()
    )


def missed_mentions(
    articles: Iterable[Article], entities: list[Entity], mentions: list[Mention], lexicon: Lexicon
) -> list[Mention]:
    """The occurrences of known names that no mention covers, as mentions."""
    names = known_names(entities, lexicon)
    if not names:
        return []
    taken: dict[tuple[str, int], list[Mention]] = {}
    for m in mentions:
        taken.setdefault((m.article, m.paragraph), []).append(m)
    sizes = name_sizes(names)
    titles = frozenset(t for t in lexicon.titles if " " not in t)
    found: list[Mention] = []
    for article in articles:
        for index, paragraph in enumerate(article.paragraphs):
            spans = taken.get((article.slug, index), [])
            found.extend(_in_paragraph(article.slug, index, paragraph, names, sizes, spans, titles))
    return found


def name_sizes(names: dict[tuple[str, ...], Entity]) -> dict[str, list[int]]:
    """The lengths in words of the names that begin with each word, longest first: most
    words begin none, and are passed over at once."""
    sizes: dict[str, set[int]] = {}
    for words in names:
        sizes.setdefault(words[0], set()).add(len(words))
    return {word: sorted(lengths, reverse=True) for word, lengths in sizes.items()}


def _in_paragraph(
    slug: str,
    index: int,
    paragraph: str,
    names: dict[tuple[str, ...], Entity],
    sizes: dict[str, list[int]],
    taken: list[Mention],
    titles: frozenset[str],
) -> Iterable[Mention]:
    tokens = _WORD.findall(paragraph)
    if sizes.keys().isdisjoint(tokens):  # no name begins here: passed over at once
        return
    words = list(_WORD.finditer(paragraph))
    position = 0
    while position < len(words):
        left = len(words) - position
        for size in sizes.get(tokens[position], ()):
            if size > left:
                continue
            chunk = words[position : position + size]
            entity = names.get(tuple(w.group(0) for w in chunk))
            start, end = chunk[0].start(), chunk[-1].end()
            if entity is None or paragraph[start:end] != " ".join(w.group(0) for w in chunk):
                continue
            if any(start < m.end and m.start < end for m in taken):
                continue
            if _inside_a_longer_name(words, position, size, paragraph, titles):
                continue
            sentence_start, sentence = _sentence_at(paragraph, start, taken)
            yield Mention(
                slug,
                index,
                start,
                end,
                paragraph[start:end],
                entity.type,
                sentence,
                sentence_start,
                "ruler",
                f"dossier:{entity.name}",
            )
            position += size - 1
            break
        position += 1


def _inside_a_longer_name(
    words: list[re.Match[str]], position: int, size: int, text: str, titles: frozenset[str]
) -> bool:
    """Whether a capitalised word touches the name: right after it (`Washington Post`), or
    right before it unless it is a title (`Col Maj Amadou Abdramane`) or begins its
    sentence (`In Washington`)."""
    end = position + size
    if end < len(words) and _touching(text, words[end - 1], words[end], words[end]):
        return True
    previous = words[position - 1] if position > 0 else None
    if previous is None or not _touching(text, previous, words[position], previous):
        return False
    if fold(previous.group(0)) in titles:
        return False
    before = text[: previous.start()].rstrip()
    return before != "" and before[-1] not in SENTENCE_STARTERS


SENTENCE_STARTERS = '.!?…:«"“'


def _touching(text: str, left: re.Match[str], right: re.Match[str], word: re.Match[str]) -> bool:
    """`left` and `right` are one space apart and `word` (one of them) has a capital."""
    return text[left.end() : right.start()] == " " and word.group(0)[:1].isupper()


def _sentence_at(paragraph: str, offset: int, mentions: list[Mention]) -> tuple[int, str]:
    """The sentence around an offset: the one a model gave a mention of the paragraph,
    else one cut at the sentence-ending punctuation."""
    for m in mentions:
        if m.sentence_start <= offset < m.sentence_start + len(m.sentence):
            return m.sentence_start, m.sentence
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        if match.start() >= offset:
            break
        start = match.end()
    ending = _SENTENCE_END.search(paragraph, offset)
    end = ending.start() if ending else len(paragraph)
    return start, paragraph[start:end].strip()
