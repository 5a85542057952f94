"""Resolution rules, each on small made-up mentions (no model needed)."""

import pytest

from generator.corrections import CorrectionsError, load_corrections
from generator.records import Mention
from generator.resolve.entities import resolve as resolve_with_data
from generator.resolve.gazetteer import Gazetteer, Place
from generator.resolve.keys import name_key
from tests.factories import write_corrections

NO_PLACES = Gazetteer({})


def resolve(mentions, corrections=None, known=None, gazetteer=NO_PLACES):
    """Resolution with a made-up gazetteer (none unless given), so that each rule shows."""
    return resolve_with_data(mentions, corrections, known=known, gazetteer=gazetteer)


def mention(text, kind="person", article="a", paragraph=0, origin="model", start=0, evidence=""):
    return Mention(
        article, paragraph, start, start + len(text), text, kind, text, 0, origin, evidence
    )


def assert_corrections_fail(tmp_path, text, expected):
    """A corrections file with this text is refused with the `expected` message."""
    path = write_corrections(tmp_path, text)
    with pytest.raises(CorrectionsError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        load_corrections(path)


def names(entities):
    return {e.name: set(e.aliases) for e in entities}


def test_titles_and_articles_are_stripped_from_keys():
    from generator.nlp.lexicon import load_lexicon

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
    assert_corrections_fail(tmp_path, text, expected)


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


# --- generic bodies, handles, gazetteer, cues, splits ------------------------------------


def test_forms_of_one_body_share_its_canonical_name_and_nations_stay_apart():
    entities = resolve(
        [
            mention("forces irakiennes", "organisation", origin="ruler"),
            mention("l'armée irakienne", "organisation", origin="ruler"),
            mention("Iraqi army", "organisation", origin="ruler"),
            mention("armée syrienne", "organisation", origin="ruler"),
        ],
        known=[],
    )
    assert names(entities) == {
        "armée irakienne": {"forces irakiennes", "l'armée irakienne", "Iraqi army"},
        "armée syrienne": {"armée syrienne"},
    }


def test_a_bare_body_joins_the_only_body_of_its_kind():
    entities = resolve(
        [mention("aviation irakienne", "organisation"), mention("force aérienne", "organisation")],
        known=[],
    )
    assert names(entities) == {"aviation irakienne": {"aviation irakienne", "force aérienne"}}
    assert entities[0].decisions  # a join by rule, listed for review


def test_a_bare_body_with_two_candidates_is_dropped():
    entities = resolve(
        [
            mention("aviation irakienne", "organisation"),
            mention("aviation syrienne", "organisation"),
            mention("force aérienne", "organisation"),
        ],
        known=[],
    )
    assert sorted(e.name for e in entities) == ["aviation irakienne", "aviation syrienne"]


def test_a_handle_joins_the_name_right_before_it():
    entities = resolve(
        [
            mention("RT France", "organisation"),  # 0..9, then ` (`
            mention("@RTenfrancais", "organisation", start=11),
            mention("@ailleurs", "organisation", start=60),
        ],
        known=[],
    )
    assert names(entities) == {
        "RT France": {"RT France", "@RTenfrancais"},
        "@ailleurs": {"@ailleurs"},
    }


MOSUL = Place("geonames:99072", "Mosul", "IQ", 36.335, 43.11889)
KAFR_NABL = Place("geonames:1", "Kafr Nabl", "SY", 35.6, 36.5)
KAFR_NABIL = Place("geonames:2", "Kafr Nabil", "SY", 33.5, 36.1)
PLACES = Gazetteer.of(
    [("Mossoul", MOSUL), ("Mosul", MOSUL), ("Kafr Nabl", KAFR_NABL), ("Kafr Nabil", KAFR_NABIL)]
)


def test_names_of_one_gazetteer_place_are_one_entity_with_coordinates():
    entities = resolve(
        [mention("Mossoul", "place"), mention("Mosul", "place", article="en")],
        known=[],
        gazetteer=PLACES,
    )
    assert names(entities) == {"Mossoul": {"Mossoul", "Mosul"}}
    assert (entities[0].coordinates, entities[0].country) == ((36.335, 43.11889), "IQ")


def test_two_different_gazetteer_places_never_merge_however_alike():
    entities = resolve(
        [mention("Kafr Nabl", "place"), mention("Kafr Nabil", "place")],
        known=[],
        gazetteer=PLACES,
    )
    assert len(entities) == 2
    # the same two names unknown to the gazetteer are transliteration variants
    assert len(resolve([mention("Kafr Nabl", "place"), mention("Kafr Nabil", "place")])) == 1


def test_the_gazetteer_outvotes_a_wrong_model_label():
    entities = resolve([mention("Mossoul", "person")], known=[], gazetteer=PLACES)
    assert (entities[0].type, entities[0].confidence) == ("place", 0.5)


def test_a_context_cue_outvotes_the_model():
    entities = resolve(
        [
            mention("Masskana", "place", evidence="after 'localites de'"),
            mention("Masskana", "person", article="b"),
        ],
        known=[],
    )
    assert (entities[0].type, entities[0].confidence) == ("place", 0.67)


def test_a_split_sends_some_mentions_to_another_curated_entity(tmp_path):
    path = tmp_path / "corrections.yml"
    path.write_text(
        "entities:\n  - {name: lac Assad, type: place}\n"
        "split:\n  - {surface: Assad, article: b.txt, entity: lac Assad}\n",
        encoding="utf-8",
    )
    entities = resolve(
        [mention("Assad", "person"), mention("Assad", "person", article="b")],
        load_corrections(path),
        known=[],
    )
    assert {(e.name, e.type, len(e.mentions)) for e in entities} == {
        ("lac Assad", "place", 1),
        ("Assad", "person", 1),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "entities:\n  - {name: A}\nsplit:\n  - {surface: X, entity: B}\n",
            "corrections.yml:4: unknown entity 'B'",
        ),
        (
            "entities:\n  - {name: A, coordinates: [120, 3]}\n",
            "corrections.yml:2: `coordinates` out of range",
        ),
        ("entities:\n  - {name: A, links: [wikidata Q1]}\n", "corrections.yml:2: `links` must"),
        ("merge: []\n", "corrections.yml:1: unknown section"),
    ],
)
def test_more_bad_corrections_name_the_file_and_line(tmp_path, text, expected):
    assert_corrections_fail(tmp_path, text, expected)
