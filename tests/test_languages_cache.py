"""Languages cache: a build detects the language of the articles it has not seen only,
and decides as a build without the cache does."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest

from generator.cache.languages import LANGUAGES_FILE, assign_languages_cached
from generator.ingest.read import read_articles
from generator.nlp.languages import LanguageDetector, assign_languages
from generator.records import Article

from .conftest import SEEDS

ENGLISH = (
    "The strike hit the northern district before dawn, local officials said on Monday, "
    "and rescue teams were still searching the rubble of the market in the afternoon."
)


@pytest.fixture
def detections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the detector reads."""
    seen: list[str] = []
    detect = LanguageDetector.detect

    def counted(self: LanguageDetector, text: str, *args: object) -> str | None:
        seen.append(text)
        return detect(self, text, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(LanguageDetector, "detect", counted)
    return seen


def articles() -> list[Article]:
    found = read_articles(SEEDS).articles
    undeclared = [dataclasses.replace(a, language=None) for a in found]  # all detected
    english = dataclasses.replace(undeclared[0], title="Strike", paragraphs=(ENGLISH,) * 2)
    return [*undeclared, dataclasses.replace(english, slug="english", sha256="e" * 64)]


def test_a_second_build_detects_nothing_and_decides_the_same(
    tmp_path: Path, detections: list[str]
) -> None:
    expected = assign_languages(articles(), "fr")
    assert {a.language for a in expected} == {"fr", "en"}
    assert assign_languages_cached(articles(), "fr", tmp_path) == expected
    assert detections and (tmp_path / LANGUAGES_FILE).is_file()
    detections.clear()
    assert assign_languages_cached(articles(), "fr", tmp_path) == expected
    assert detections == []


def test_only_a_changed_article_is_detected_again(tmp_path: Path, detections: list[str]) -> None:
    assign_languages_cached(articles(), "fr", tmp_path)
    changed = articles()
    changed[1] = dataclasses.replace(changed[1], title="Un autre titre")
    detections.clear()
    decided = assign_languages_cached(changed, "fr", tmp_path)
    paragraphs = list(changed[1].normalised_paragraphs)
    assert detections == ["\n".join(["Un autre titre", *paragraphs]), *paragraphs]
    assert decided == assign_languages(changed, "fr")


def test_another_default_language_decides_again(tmp_path: Path) -> None:
    assign_languages_cached(articles(), "fr", tmp_path)
    assert assign_languages_cached(articles(), "en", tmp_path) == assign_languages(articles(), "en")


def test_a_damaged_file_is_a_warning_and_detected_again(
    tmp_path: Path, detections: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    assign_languages_cached(articles(), "fr", tmp_path)
    path = tmp_path / LANGUAGES_FILE
    path.write_bytes(path.read_bytes()[:-40])
    detections.clear()
    with caplog.at_level(logging.WARNING):
        assert assign_languages_cached(articles(), "fr", tmp_path) == assign_languages(
            articles(), "fr"
        )
    assert f"{path}: damaged cache file" in caplog.text
    assert detections


def test_no_cache_detects_every_article_again(tmp_path: Path, detections: list[str]) -> None:
    assign_languages_cached(articles(), "fr", tmp_path)
    detections.clear()
    assign_languages_cached(articles(), "fr", tmp_path, read=False)
    assert len(detections) >= len(articles())
