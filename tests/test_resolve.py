"""Resolution rules, each on small made-up mentions (no model needed)."""

import pytest

from generator.extract import Mention
from generator.resolve import CorrectionsError, load_corrections, name_key, resolve


def mention(text, kind="person", article="a", paragraph=0, origin="model"):
    return Mention(article, paragraph, 0, len(text), text, kind, text, 0, origin)


def names(entities):
    return {e.name: set(e.aliases) for e in entities}


def test_titles_and_articles_are_stripped_from_keys():
    from generator.extract import load_lexicon

    lexicon = load_lexicon()
    assert name_key("le général Maqsoud", lexicon) == "maqsoud"
    assert name_key("Premier ministre Haïder al-Abadi", lexicon) == "haider al abadi"
    assert name_key("l'Etat islamique", lexicon) == "etat islamique"


def test_case_and_accents_fold_to_one_entity():
    entities = resolve(
        [mention("Haïder al-Abadi"), mention("haider al abadi", article="b")], known=[]
    )
    assert len(entities) == 1 and len(entities[0].mentions) == 2


def test_surname_joins_the_unique_full_name_with_fuzzy_spelling():
    entities = resolve([mention("Ali Maqsood"), mention("général Maqsoud")], known=[])
    assert names(entities) == {"Ali Maqsood": {"Ali Maqsood", "général Maqsoud"}}


def test_surname_shared_by_two_full_names_stays_apart():
    entities = resolve(
        [mention("Bachar al-Assad"), mention("Hafez al-Assad"), mention("Assad")], known=[]
    )
    assert len(entities) == 3


def test_transliteration_variants_merge():
    entities = resolve([mention("Albou Kamal", "place"), mention("Abou Kamal", "place")], known=[])
    assert len(entities) == 1


def test_different_short_places_do_not_merge():
    entities = resolve([mention("Alep", "place"), mention("Alex", "place")], known=[])
    assert len(entities) == 2


def test_known_organisation_aliases_land_on_one_page():
    known = [
        {
            "name": "Daech",
            "type": "organisation",
            "aliases": ["Daech", "Daesh", "Etat islamique", "l'Etat islamique"],
        }
    ]
    entities = resolve(
        [mention("Daech", "place"), mention("Daesh", "person"), mention("Etat islamique", "place")],
        known=known,
    )
    assert [(e.name, e.type) for e in entities] == [("Daech", "organisation")]


def test_type_is_the_majority_vote():
    entities = resolve(
        [mention("Raqqa", "place"), mention("Raqqa", "place"), mention("Raqqa", "person")],
        known=[],
    )
    assert entities[0].type == "place"


def test_junk_spans_are_dropped():
    entities = resolve([mention("Est", "place"), mention("Nord", "place")], known=[])
    assert entities == []


def test_corrections_win_over_model_and_known_lists(tmp_path):
    path = tmp_path / "corrections.yml"
    path.write_text(
        "entities:\n"
        "  - name: Tal Afar\n    type: place\n    aliases: [Talons Afar]\n"
        "    description: Ville irakienne.\n"
        "reject: [Bidule]\n",
        encoding="utf-8",
    )
    corrections = load_corrections(path)
    entities = resolve(
        [mention("Talons Afar", "person"), mention("Bidule", "person")], corrections, known=[]
    )
    assert [(e.name, e.type, e.origin) for e in entities] == [("Tal Afar", "place", "curated")]
    assert entities[0].description == "Ville irakienne."


def test_two_curated_entities_never_merge(tmp_path):
    path = tmp_path / "corrections.yml"
    path.write_text(
        "entities:\n  - {name: Abou Kamal, type: place}\n  - {name: Albou Kamal, type: place}\n",
        encoding="utf-8",
    )
    entities = resolve(
        [mention("Abou Kamal", "place"), mention("Albou Kamal", "place")],
        load_corrections(path),
        known=[],
    )
    assert len(entities) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("entities:\n  - {name: X, type: planet}\n", "corrections.yml:2: unknown type 'planet'"),
        (
            "entities:\n  - {name: A, aliases: [Z]}\n  - {name: B, aliases: [z]}\n",
            "corrections.yml:3: alias 'z' is given to both 'A' (line 2) and 'B'",
        ),
        ("entities:\n  - {name: A, colour: red}\n", "corrections.yml:2: unknown key(s) colour"),
        ("entities: [\n", "not valid YAML"),
    ],
)
def test_bad_corrections_name_the_file_and_line(tmp_path, text, expected):
    path = tmp_path / "corrections.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorrectionsError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        load_corrections(path)


def test_colliding_slugs_get_a_stable_suffix(tmp_path):
    path = tmp_path / "corrections.yml"
    path.write_text(
        "entities:\n  - {name: Æbou Kamal, type: place}\n  - {name: Aebou Kamal, type: place}\n",
        encoding="utf-8",
    )
    mentions = [mention("Æbou Kamal", "place"), mention("Aebou Kamal", "place")]
    first = resolve(mentions, load_corrections(path), known=[])
    again = resolve(list(reversed(mentions)), load_corrections(path), known=[])
    assert [(e.name, e.slug) for e in first] == [
        ("Aebou Kamal", "aebou-kamal"),
        ("Æbou Kamal", "aebou-kamal-2"),
    ]
    assert [(e.name, e.slug) for e in again] == [(e.name, e.slug) for e in first]
