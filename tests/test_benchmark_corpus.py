"""The benchmark's synthetic corpus is deterministic and reads as real articles do."""

from __future__ import annotations

from benchmarks.corpus import write_corpus
from generator.ingest.read import read_articles


def files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_same_seed_gives_the_same_corpus(tmp_path):
    write_corpus(tmp_path / "a", 40, seed=3)
    write_corpus(tmp_path / "b", 40, seed=3)
    write_corpus(tmp_path / "c", 40, seed=4)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")


def test_one_more_article_leaves_the_others_unchanged(tmp_path):
    write_corpus(tmp_path / "a", 20, seed=1)
    write_corpus(tmp_path / "b", 19, seed=1)
    write_corpus(tmp_path / "b", 1, seed=1, start=19)
    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_articles_are_dated_french_and_english_news_with_front_matter(tmp_path):
    write_corpus(tmp_path, 60, seed=1)
    result = read_articles(tmp_path)
    assert not result.problems
    articles = result.articles
    assert len(articles) == 60
    assert {a.language for a in articles} == {"fr", "en"}
    assert len({a.date.year for a in articles}) >= 5
    assert all(a.title and a.outlet and len(a.paragraphs) >= 3 for a in articles)
    assert len({a.sha256 for a in articles}) == 60
