"""The evaluator: surface matching and scores on made-up pages, then the real figures."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from generator.cli.main import main
from generator.corrections import load_corrections
from generator.evaluate.gold import GoldEntity, fold_aligned, load_gold, occurrences
from generator.evaluate.score import Page, score
from generator.evaluate.systems import score_extraction
from generator.ingest.read import read_articles
from generator.nlp.mentions import extract_mentions
from generator.nlp.pipeline import CURATED_RULER, add_curated_ruler
from generator.records import Mention
from tests.factories import article

from .conftest import ROOT, SEEDS

GOLD = ROOT / "tests" / "gold" / "seeds.yml"


def page(name, kind, *spans, paragraph=0):
    mentions = tuple(
        Mention("a", paragraph, start, end, name, kind, "", 0, "model") for start, end in spans
    )
    return Page(name, kind, mentions)


def test_folding_keeps_offsets_and_ignores_case_accents_and_typography():
    text = "l’État-Major « Assad »"
    assert len(fold_aligned(text)) == len(text)
    assert fold_aligned(text).split() == ["l", "etat", "major", "assad"]


def test_surfaces_are_found_as_whole_words_only():
    paragraphs = ["L'Irak et l'armée irakienne.", "IRAK"]
    assert occurrences("Irak", paragraphs) == [(0, 2, 6), (1, 0, 4)]
    assert occurrences("lac « Assad »", ["vers le lac «\u00a0Assad\u00a0» ainsi"]) == [(0, 8, 19)]


TEXT = "Daech et Daesh à Mossoul, puis Mosul."
#       0    5    10   15   20   25   30   35
GOLD_ENTITIES = [
    GoldEntity("Daech", "organisation", (("a.txt", "Daech"), ("a.txt", "Daesh"))),
    GoldEntity("Mossoul", "place", (("a.txt", "Mossoul"), ("a.txt", "Mosul"))),
]


def test_perfect_pages_score_one():
    pages = [
        page("Daech", "organisation", (0, 5), (9, 14)),
        page("Mossoul", "place", (17, 24), (31, 36)),
    ]
    report = score(GOLD_ENTITIES, pages, [article(TEXT)])
    assert report.scores["overall"].f1 == 1.0
    assert (report.alias_groups_right, report.alias_groups) == (2, 2)


def test_split_wrong_type_and_extra_pages_are_counted():
    pages = [
        page("Daech", "place", (0, 5), (9, 14)),  # wrong type
        page("Mossoul", "place", (17, 24)),  # Mosul is on another page
        page("Mosul", "place", (31, 36)),
        page("puis", "person", (26, 30)),  # junk
    ]
    report = score(GOLD_ENTITIES, pages, [article(TEXT)])
    overall = report.scores["overall"]
    assert (overall.found, overall.gold, overall.pages) == (0, 2, 4)
    assert report.alias_groups_right == 1  # Daech's surfaces are together, alone
    assert any("typed place" in m for m in report.missed)
    assert any("Mosul (a.txt) not on 'Mossoul'" in m for m in report.missed)


def test_one_page_gathering_two_entities_is_credited_once():
    pages = [page("Daech", "organisation", (0, 5), (9, 14), (17, 24), (31, 36))]
    report = score(GOLD_ENTITIES, pages, [article(TEXT)])
    assert report.scores["overall"].found == 1
    assert report.alias_groups_right == 0


def test_a_mention_inside_the_gold_surface_counts():
    gold = [GoldEntity("Daech", "organisation", (("a.txt", "l'Etat islamique"),))]
    pages = [page("Daech", "organisation", (2, 16))]
    report = score(gold, pages, [article("l'Etat islamique recule")])
    assert report.scores["overall"].f1 == 1.0


OPTIONAL_TEXT = "Daech et l'armée à Mossoul."
#                0    5    10   15   20


def test_an_optional_entity_is_neither_required_nor_held_against_precision():
    gold = [
        GoldEntity("Daech", "organisation", (("a.txt", "Daech"),)),
        GoldEntity("armée", "organisation", (("a.txt", "armée"),), optional=True),
        GoldEntity("Mossoul", "place", (("a.txt", "Mossoul"),), optional=True),
    ]
    with_optional = [page("Daech", "organisation", (0, 5)), page("armée", "organisation", (11, 16))]
    report = score(gold, with_optional, [article(OPTIONAL_TEXT)])
    overall = report.scores["overall"]
    assert (overall.f1, overall.gold, overall.pages) == (1.0, 1, 1)
    assert report.missed == [] and report.extra == []  # Mossoul not found: not a miss
    junk = [*with_optional, page("et", "person", (6, 8))]
    report = score(gold, junk, [article(OPTIONAL_TEXT)])
    assert report.scores["overall"].precision == 0.5
    assert report.extra == ["et (person): holds no gold surface"]


NESTED_TEXT = "la centrale nucléaire de Zaporijjia, près de Zaporijjia."
#              0    5    10   15   20   25   30   35   40   45   50


def test_a_surface_inside_a_longer_name_counts_only_for_the_same_entity():
    gold = [
        GoldEntity("centrale", "place", (("a.txt", "centrale nucléaire de Zaporijjia"),)),
        GoldEntity("Zaporijjia", "place", (("a.txt", "Zaporijjia"),)),
    ]
    plant = page("centrale nucléaire de Zaporijjia", "place", (3, 35))
    city = page("Zaporijjia", "place", (45, 55))
    report = score(gold, [plant, city], [article(NESTED_TEXT)])
    assert report.scores["overall"].f1 == 1.0, report.missed
    # the city's name inside the plant's page does not put the city on that page
    assert report.alias_groups == 0 and report.missed == []
    only_plant = score(gold, [plant], [article(NESTED_TEXT)])
    assert only_plant.missed == ["Zaporijjia (place): not extracted"]


def test_gold_file_merges_entities_across_articles():
    gold = {g.name: g for g in load_gold(GOLD)}
    assert not any(g.optional for g in gold.values())
    assert gold["Daech"].type == "organisation"
    assert ("001_8aa3180bd5d47c8b.txt", "Daesh") in gold["Daech"].surfaces
    assert gold["Daech"].is_alias_group and not gold["Alep"].is_alias_group


# --- the figures on the seeds, with the real model -------------------------------------


@pytest.fixture(scope="module")
def seeds():
    return read_articles(SEEDS).articles


@pytest.fixture(scope="module")
def curated_nlp(nlp):
    """The session pipeline plus the seeds' curated ruler, for this module only."""
    corrections = load_corrections(SEEDS / "corrections.yml")
    add_curated_ruler(nlp, corrections.ruler_entries())
    yield nlp, corrections
    nlp.remove_pipe(CURATED_RULER)


DEV = ROOT.parent / "shared" / "gold" / "dev"  # real articles, kept beside the repository


def evaluated(tmp_path, monkeypatch, *arguments: str) -> dict:
    """`dossier evaluate ... --json`, run in an empty folder (its own cache)."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["evaluate", *arguments, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.slow
def test_seeds_without_corrections(tmp_path, monkeypatch):
    """The done criterion of the extraction: general rules only, no seed-specific entry."""
    figures = evaluated(
        tmp_path, monkeypatch, str(GOLD), "--articles", str(SEEDS), "--no-corrections"
    )
    dossier, raw = figures["dossier"], figures["raw"]
    assert figures["overall"]["f1"] == dossier["scores"]["overall"]["f1"] >= 0.85, dossier["missed"]
    assert dossier["alias_groups_right"] == dossier["alias_groups"] == 6, dossier["wrong_groups"]
    assert raw["scores"]["overall"]["f1"] < 0.7  # the raw model is far behind


@pytest.mark.slow
def test_seeds_with_the_sample_corrections(tmp_path, monkeypatch):
    figures = evaluated(tmp_path, monkeypatch, str(GOLD), "--articles", str(SEEDS))
    dossier = figures["dossier"]
    assert figures["overall"] == {"f1": 1.0, "precision": 1.0, "recall": 1.0}, dossier["missed"]
    assert dossier["alias_groups_right"] == dossier["alias_groups"]


@pytest.mark.slow
@pytest.mark.skipif(not DEV.is_dir(), reason="the dev set (../shared/gold/dev) is not here")
def test_evaluate_scores_what_extract_publishes_on_the_dev_set(tmp_path, monkeypatch):
    """`dossier evaluate` runs the build's own pipeline: its F1 is the F1 of the entities
    that `dossier extract --format json` publishes, scored against the same gold file."""
    gold, articles = DEV / "gold.yml", DEV / "articles"
    figures = evaluated(tmp_path, monkeypatch, str(gold), "--articles", str(articles))
    output = tmp_path / "extraction.json"
    arguments = [
        "extract",
        "--articles",
        str(articles),
        "--format",
        "json",
        "--output",
        str(output),
    ]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    published = json.loads(output.read_text(encoding="utf-8"))
    report = score_extraction(gold, published, read_articles(articles).articles)
    assert abs(figures["overall"]["f1"] - report.scores["overall"].f1) <= 0.01
    assert set(figures["overall"]) == {"f1", "precision", "recall"}
    assert "scores" in figures["raw"] and figures["raw"] != figures["dossier"]


@pytest.mark.slow
def test_no_two_mentions_share_a_span_with_curated_names(curated_nlp, seeds):
    """`@RTenfrancais` is both curated and a handle: one mention, not two."""
    nlp, _ = curated_nlp
    spans = [(m.article, m.paragraph, m.start, m.end) for m in extract_mentions(seeds, nlp)]
    assert len(spans) == len(set(spans))


def test_an_entity_is_optional_when_every_entry_of_it_says_so(tmp_path):
    path = tmp_path / "gold.yml"
    path.write_text(
        "articles:\n"
        "  a.txt:\n    entities:\n"
        "      - {name: armée, type: organisation, surface: [armée], optional: true}\n"
        "      - {name: Daech, type: organisation, surface: [Daech], optional: true}\n"
        "  b.txt:\n    entities:\n"
        "      - {name: Daech, type: organisation, surface: [Daesh]}\n",
        encoding="utf-8",
    )
    assert {g.name: g.optional for g in load_gold(path)} == {"Daech": False, "armée": True}
