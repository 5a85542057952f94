"""Parsing for events: which paragraphs to parse, parsing them, and reading the parse.

Only the paragraphs that hold a trigger word are parsed (`paragraphs_to_parse`), by the
dependency parser alone (`parse_articles`: no entity recogniser, the entities are known).
The helpers below read a parsed `Doc`: the token at a character offset, its sentence, and
which trigger of a sentence owns a token (`owning_trigger`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

from spacy.language import DisabledPipes, Language
from spacy.tokens import Doc, Span, Token

from generator.events.lexicon import STATEMENT, EventLexicon
from generator.nlp.mentions import PARALLEL_MIN_PARAGRAPHS
from generator.records import Article
from generator.timing import progress


def paragraphs_to_parse(article: Article, lexicon: EventLexicon) -> dict[int, str]:
    """The paragraphs that name an event (only they need the parser), by index."""
    texts = (_for_parsing(p) for p in article.normalised_paragraphs)
    return {i: text for i, text in enumerate(texts) if lexicon.mentioned_in(text)}


def parse_articles(
    nlp: Language,
    articles: list[Article],
    paragraphs: Callable[[Article], dict[int, str]],
    jobs: int = 1,
) -> Iterator[tuple[Article, dict[int, Doc]]]:
    """The parsed `paragraphs` of each article, an article at a time, in order: a large
    dossier's parses are never all in memory at once. `jobs` > 1: that many processes."""
    chosen = [paragraphs(article) for article in articles]
    texts = [text for by_index in chosen for text in by_index.values()]
    n_process = jobs if jobs > 1 and len(texts) >= PARALLEL_MIN_PARAGRAPHS else 1
    with _parser_only(nlp):
        parsed = nlp.pipe(texts, batch_size=64, n_process=n_process)  # in order
        docs = iter(progress(parsed, len(texts), "parse", "paragraph"))
        for article, by_index in zip(articles, chosen, strict=True):
            yield article, {index: next(docs) for index in by_index}


def _parser_only(nlp: Language) -> DisabledPipes:
    """The pipeline without its entity recognisers, as a context manager."""
    disabled = [p for p in nlp.pipe_names if p == "ner" or p.endswith("entity_ruler")]
    return nlp.select_pipes(disable=disabled)


def _for_parsing(text: str) -> str:
    """`l'#Attentat` -> `l' Attentat`: hashtags parse as words (same length)."""
    return re.sub(r"#(?=\w)", " ", text)


def token_at(doc: Doc, char: int) -> Token | None:
    """The token at a character offset, or the first one after it (binary search)."""
    index = bisect.bisect_right(doc, char, key=lambda token: token.idx + len(token.text))
    return doc[index] if index < len(doc) else None


def sentence_start(doc: Doc, char: int) -> int | None:
    """The index of the first token of the sentence at a character offset."""
    token = token_at(doc, char)
    return token.sent.start if token is not None else None


_CLAUSAL = {"advcl", "ccomp", "xcomp", "acl", "acl:relcl", "csubj", "parataxis"}


def _clause_head(token: Token) -> Token:
    """The head of the clause a trigger is in: a verb, or a non-verbal clause root
    (`il est responsable de récentes attaques`: `responsable`)."""
    while (
        token.pos_ not in {"VERB", "AUX"} and token.dep_ not in _CLAUSAL and token.head.i != token.i
    ):
        token = token.head
    return token


def subtree_contains(root: Token, token: Token) -> bool:
    """Whether the token is in the phrase headed by `root`."""
    return root.left_edge.i <= token.i <= root.right_edge.i


def owning_trigger(token: Token, triggers: list[tuple[str, Span]]) -> str:
    """The trigger that owns a token: the first trigger phrase or trigger clause met going
    up the parse from the token, else the nearest trigger. A statement's clause only owns
    its subject (the speaker): what is said belongs to the events it tells of."""
    roots = {span.root.i: kind for kind, span in triggers}
    clauses: dict[int, list[tuple[str, Span]]] = {}
    for kind, span in triggers:
        clauses.setdefault(_clause_head(span.root).i, []).append((kind, span))
    node, previous = token, None
    while True:
        if node.i in roots:
            return roots[node.i]
        held = clauses.get(node.i, [])
        if previous is not None and not previous.dep_.startswith("nsubj"):
            held = [(k, s) for k, s in held if k != STATEMENT]
        if held:
            return _nearest(token, held)
        if node.head.i == node.i:
            return _nearest(token, triggers)
        node, previous = node.head, node


def _nearest(token: Token, triggers: list[tuple[str, Span]]) -> str:
    return min(triggers, key=lambda ks: (abs(ks[1].root.i - token.i), ks[1].start))[0]
