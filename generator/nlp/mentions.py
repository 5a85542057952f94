"""Mentions: the people, places and organisations that a pipeline finds in the articles.

Every mention keeps its article, paragraph, character offsets and sentence, so that
pages can quote it and link to its exact paragraph. A model's entity is trimmed to the
name it holds (`clean_span`), and typed by the words before it when they say what it is
(`context_cue`: `la localité de X` is a place)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc, Span

from generator.nlp.acronyms import acronym_after, acronym_evidence
from generator.nlp.features import feature_evidence, load_features
from generator.nlp.gazetteer_ruler import GAZETTEER_ID
from generator.nlp.lexicon import Lexicon, load_lexicon
from generator.records import Article, Mention
from generator.text import fold
from generator.timing import progress

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
PARALLEL_MIN_PARAGRAPHS = 400  # below this, starting worker processes costs more than it saves


def extract_mentions(
    articles: Iterable[Article],
    nlp: Language,
    lexicon: Lexicon | None = None,
    jobs: int = 1,
    show_progress: bool = True,
) -> list[Mention]:
    """Run the pipeline over every paragraph and return the cleaned mentions, in text order.

    `jobs` > 1 runs spaCy in that many worker processes when there is enough text;
    `show_progress`: a progress bar on a terminal (not on a cluster worker's)."""
    lexicon = lexicon or load_lexicon()
    articles = list(articles)
    items = [
        (paragraph, (number, index))  # plain ints: the context goes to the workers
        for number, article in enumerate(articles)
        for index, paragraph in enumerate(article.normalised_paragraphs)
    ]
    n_process = jobs if jobs > 1 and len(items) >= PARALLEL_MIN_PARAGRAPHS else 1
    docs: Iterable[tuple[Doc, tuple[int, int]]] = nlp.pipe(
        items, as_tuples=True, batch_size=64, n_process=n_process
    )
    mentions: list[Mention] = []
    if show_progress:
        docs = progress(docs, len(items), "extract", "paragraph")
    for doc, (number, index) in docs:
        article = articles[number]
        original = article.paragraphs[index]
        mentions.extend(mentions_in_doc(doc, article.slug, index, original, lexicon))
    return mentions


def mentions_in_doc(
    doc: Doc, article: str, paragraph: int, original: str, lexicon: Lexicon
) -> Iterator[Mention]:
    previous: tuple[int, tuple[str, str] | None] | None = None  # end and cue of the last
    starts = {ent.start_char for ent in doc.ents if ent.label_ in LABELS}
    defined: set[int] = set()  # acronyms given as mentions of the name before them
    for ent in doc.ents:
        entity_type = LABELS.get(ent.label_)
        if entity_type is None or ent.start_char in defined:
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
        if origin == "model" and entity_type == "place" and _before_a_title(doc.text, end, lexicon):
            continue  # `US Secretary of State Antony Blinken`: an adjective, not the place
        if origin in ("model", GAZETTEER_ID):
            feature = feature_of(doc.text, start, end)
            if feature is not None:
                start, end, kind = feature
                entity_type, evidence, origin = "place", feature_evidence(kind), "model"
        organisation = entity_type == "organisation"
        acronym = acronym_after(doc.text, start, end, organisation) if origin == "model" else None
        if acronym is not None:
            end = acronym[0]  # `Conseil national` -> `Conseil national pour la ... patrie`
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
        if acronym is not None:
            defined.add(acronym[1])
            yield replace(
                mention,
                start=acronym[1],
                end=acronym[2],
                text=original[acronym[1] : acronym[2]],
                origin="ruler",
                evidence=acronym_evidence(mention.text),
            )
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


def _before_a_title(text: str, end: int, lexicon: Lexicon) -> bool:
    """Whether a title follows a name right away (`US Secretary`, `Russian President`)."""
    if not text[end : end + 1].isspace():
        return False
    after = fold(text[end : end + 40]) + " "
    return any(after.startswith(title + " ") for title in lexicon.titles)


def feature_of(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The bounds and kind of the feature (a power plant, a region) that a name is, or is
    the place of: `Zaporijjia` in `centrale nucléaire de Zaporijjia`."""
    features = load_features()
    named = features.split(text[start:end])
    if named is not None:
        return start, end, named[0].kind
    widened = features.widen(text, start, end)
    if widened is not None:
        return widened[0], widened[1], widened[2].kind
    listed = features.listed(text, start, end)  # `the Luhansk and Donetsk regions`
    return None if listed is None else (start, end, listed.kind)


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
        end, (kind, why) = previous[0], previous[1]
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
    opening = text.find("(", start, end)
    if opening > start and ")" not in text[opening:end]:
        end = opening  # `National Council for the Safeguard of the Homeland (CLSP`
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
