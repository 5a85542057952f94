"""Ingest: what becomes of each kind of article file."""

import datetime as dt

from generator.ingest.read import read_articles
from generator.text import normalise_typography

from .conftest import SEEDS


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_seed_titles_follow_the_first_line_rule():
    result = read_articles(SEEDS)
    assert not result.problems
    titles = {a.filename: a for a in result.articles}
    short = titles["001_8aa3180bd5d47c8b.txt"]
    assert short.title.startswith("L'Irak aurait ordonné de frapper")
    assert not short.title_derived
    assert short.paragraphs[0].startswith("Après que Bagdad")  # the title is not a paragraph
    long_first_line = titles["000_0541c686e601ef5e.txt"]
    assert long_first_line.title_derived
    assert long_first_line.title.endswith("…")
    assert long_first_line.paragraphs[0].startswith("Ali Maqsood, général")


def test_missing_metadata_stays_missing():
    article = next(a for a in read_articles(SEEDS).articles)
    assert (article.date, article.outlet, article.url, article.author) == (None,) * 4


def test_markdown_front_matter_is_read(tmp_path):
    write(
        tmp_path,
        "a.md",
        "---\ntitle: Frappes\ndate: 2017-02-24\noutlet: RT France\n"
        "url: https://example.org/a\nlanguage: FR\nauthor: X\n---\nPremier paragraphe.\n\n"
        "Second\nparagraphe.\n",
    )
    [article] = read_articles(tmp_path).articles
    assert article.title == "Frappes"
    assert article.date == dt.date(2017, 2, 24)
    assert (article.outlet, article.url, article.language) == (
        "RT France",
        "https://example.org/a",
        "fr",
    )
    assert article.paragraphs == ("Premier paragraphe.", "Second paragraphe.")


def test_duplicate_articles_are_one_source_with_both_names(tmp_path):
    write(tmp_path, "a.txt", "Titre\nTexte identique.")
    write(tmp_path, "b.txt", "Titre\nTexte identique.")
    result = read_articles(tmp_path)
    [article] = result.articles
    assert article.aliases == ("b.txt",)
    assert "same text as a.txt" in result.problems[0].message


def test_typography_is_normalised_without_moving_offsets():
    text = "l\u2019armée\u00a0: «\u202fDaech\u202f» \u201cx\u201d"
    normalised = normalise_typography(text)
    assert normalised == 'l\'armée : « Daech » "x"'
    assert len(normalised) == len(text)
