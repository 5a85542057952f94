"""Languages cache: the language of each article (and of its paragraphs in another
language), kept between builds.

Detecting them reads every paragraph with py3langid, about a second and a half per
thousand articles, at every build. What it decides depends only on the article's text,
title and declared language, the dossier's default language and the detection code: so
the decisions of a build are kept in one sealed file, `.dossier-cache/languages.json`,
keyed by a digest of those, and the next build detects only the articles it has not
seen. The file holds the articles of the last build only; a damaged one is a warning,
and every article is detected again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import replace
from importlib import metadata
from pathlib import Path

from generator.cache.files import sealed, try_to_write, unsealed
from generator.cache.store import source_texts
from generator.nlp.languages import LanguageDetector, with_language
from generator.records import Article

log = logging.getLogger(__name__)

LANGUAGES_FILE = "languages.json"
Decision = tuple[str, str, tuple[tuple[int, str], ...]]  # language, basis, other languages


def languages_version() -> str:
    """What the decisions depend on, but the articles: the detection code and model."""
    digest = hashlib.sha256(f"py3langid {metadata.version('py3langid')}".encode())
    for text in source_texts(["nlp/languages.py", "text.py"]):
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def assign_languages_cached(
    articles: Iterable[Article], default: str, cache_dir: Path | None, read: bool = True
) -> list[Article]:
    """Each article with its language, as `nlp.languages.assign_languages` decides it,
    the decisions taken from the cache when they are there (`read`) and all kept."""
    path = cache_dir / LANGUAGES_FILE if cache_dir is not None else None
    version = languages_version()
    known = read_decisions(path, version) if path is not None and read else {}
    detector = LanguageDetector()
    decided: dict[str, Decision] = {}
    result = []
    for article in articles:
        key = decision_key(article, default)
        found = known.get(key)
        if found is None:
            article = with_language(article, default, detector)
            assert article.language is not None and article.language_basis is not None
            found = (article.language, article.language_basis, article.other_languages)
        else:
            language, basis, others = found
            article = replace(
                article, language=language, language_basis=basis, other_languages=others
            )
        decided[key] = found
        result.append(article)
    if path is not None and decided != known:
        try_to_write(path, sealed({"version": version, "decisions": decided}))
    return result


def decision_key(article: Article, default: str) -> str:
    parts = [default, article.language or "", article.title, article.sha256]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def read_decisions(path: Path, version: str) -> dict[str, Decision]:
    """The decisions of the last build, if they were taken by this version."""
    try:
        payload = unsealed(path.read_bytes())
        if payload.get("version") != version:
            return {}
        return {key: stored_decision(value) for key, value in payload["decisions"].items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        log.warning("%s: damaged cache file (%s), detecting the languages again", path, error)
        return {}


def stored_decision(value: object) -> Decision:
    if not isinstance(value, list) or len(value) != 3:
        raise TypeError(f"not a language decision: {json.dumps(value)[:80]}")
    language, basis, others = value
    if not isinstance(language, str) or not isinstance(basis, str):
        raise TypeError(f"not a language decision: {json.dumps(value)[:80]}")
    pairs = tuple((int(index), str(other)) for index, other in others)
    return language, basis, pairs
