"""What resolution and extraction know of the world, from the data files: transliteration
sound keys, acronyms defined in the text, features named after a place, demonyms and
roles, international organisations, continents. Each rule on small made-up mentions, then
the real spaCy pipelines on a few sentences."""

from __future__ import annotations

from dataclasses import replace

import pytest

from generator.nlp.acronyms import acronym_after, spells
from generator.nlp.features import load_features
from generator.nlp.languages import DEFAULT_ENGLISH_MODEL
from generator.nlp.lexicon import load_known_organisations, load_lexicon
from generator.nlp.mentions import extract_mentions
from generator.nlp.pipeline import load_pipeline
from generator.records import Mention
from generator.resolve.entities import resolve
from generator.resolve.gazetteer import load_gazetteer
from generator.resolve.keys import feature_key, is_role, sound_key
from tests.factories import article


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def mention(text, kind="person", article="a", paragraph=0, start=0, origin="model", evidence=""):
    end = start + len(text)
    return Mention(article, paragraph, start, end, text, kind, text, 0, origin, evidence)


def entities_of(mentions, gazetteer):
    return {e.name: (e.type, set(e.aliases)) for e in resolve(mentions, gazetteer=gazetteer)}


@pytest.mark.parametrize(
    ("french", "english"),
    [
        ("igor mourachov", "ihor murashov"),  # ou/u, ch/sh, Russian g/Ukrainian h
        ("petro kotine", "petro kotin"),  # French final mute e
        ("zelensky", "zelenskyy"),  # y, doubled letters
        ("zaporijjia", "zaporizhzhia"),  # French j / English zh
        ("serguei choigou", "sergei shoigu"),  # gu before e, ch, ou
        ("vladimir poutine", "vladimir putin"),
        ("abou kamal", "abu kamal"),  # Arabic names: ou/u
    ],
)
def test_french_and_english_romanisations_have_one_sound_key(french, english):
    assert sound_key(french) == sound_key(english)


def test_different_names_keep_different_sound_keys():
    assert sound_key("tiani") != sound_key("tchiani")  # a real variant, not a romanisation
    assert sound_key("paris") != sound_key("parme")


def test_romanisations_of_one_person_are_one_entity(gazetteer):
    found = entities_of(
        [mention("Igor Mourachov"), mention("Ihor Murashov", article="b"), mention("Murashov")],
        gazetteer,
    )
    assert found == {"Igor Mourachov": ("person", {"Igor Mourachov", "Ihor Murashov", "Murashov"})}


def test_an_acronym_is_spelled_by_the_initials_of_its_expansion():
    assert spells("CNSP", "Conseil national pour la sauvegarde de la patrie")
    assert spells("CEDEAO", "Communauté économique des États de l'Afrique de l'Ouest")
    assert spells("IAEA", "International Atomic Energy Agency")
    assert not spells("AFP", "NIAMEY, Niger")  # a source's credit, not an acronym
    assert not spells("CNSP", "Conseil")


def test_a_mention_is_widened_to_the_expansion_of_the_acronym_that_follows():
    text = "au nom d'un Conseil national pour la sauvegarde de la patrie (CNSP), puis"
    start = text.index("Conseil")
    found = acronym_after(text, start, start + len("Conseil national"))
    assert found is not None
    end, acronym_start, acronym_end = found
    assert text[start:end] == "Conseil national pour la sauvegarde de la patrie"
    assert text[acronym_start:acronym_end] == "CNSP"
    assert acronym_after(text, start, start + len("Conseil")) is not None
    assert acronym_after("le Niger (AFP) a dit", 3, 8) is None


def test_an_acronym_defined_once_names_its_entity_in_every_article(gazetteer):
    expansion = "Conseil national pour la sauvegarde de la patrie"
    defined = [
        mention(expansion, "organisation"),
        mention("CNSP", "organisation", start=len(expansion) + 2, origin="ruler"),
    ]
    elsewhere = [mention("CNSP", "organisation", article="b")]
    found = entities_of([*defined, *elsewhere], gazetteer)
    assert found == {"CNSP": ("organisation", {expansion, "CNSP"})}  # its most frequent name
    cnsp = next(e for e in resolve([*defined, *elsewhere], gazetteer=gazetteer))
    assert len(cnsp.mentions) == 3
    assert [d.rule for d in cnsp.decisions] == ["acronym"]


def test_an_organisation_s_acronym_right_after_its_name_need_not_spell_it():
    """News in English gives the French acronym: `... of the Homeland (CNSP)`."""
    text = "acting for the National Council for the Safeguard of the Homeland (CNSP), he said"
    start, end = text.index("National"), text.index(" (CNSP")
    assert acronym_after(text, start, end) is None  # no initials spell it...
    found = acronym_after(text, start, end, organisation=True)  # ...but it is given
    assert found is not None and text[found[1] : found[2]] == "CNSP"
    assert acronym_after("the Niger Army (XIV) said", 4, 14, organisation=True) is None
    assert acronym_after("Niger (AFP) said", 0, 5, organisation=True) is None  # one word
    assert acronym_after("the Mali Army (army) said", 4, 13, organisation=True) is None


@pytest.mark.parametrize(
    ("english", "french"),
    [
        (
            "National Council for the Safeguard of the Homeland",
            "Conseil national de sauvegarde de la patrie",
        ),
        ("People's Liberation Army", "Armée de libération du peuple"),
        ("International Atomic Energy Agency", "Agence internationale de l'énergie atomique"),
        ("Ministry of Foreign Affairs", "ministère des Affaires étrangères"),
    ],
)
def test_an_organisation_named_in_translation_is_one_entity(gazetteer, english, french):
    found = resolve(
        [mention(french, "organisation"), mention(english, "organisation", article="b")],
        gazetteer=gazetteer,
        known=[],  # the rule alone, not the reference list of international bodies
    )
    assert [sorted(e.aliases) for e in found] == [sorted({english, french})]


def test_organisations_whose_words_differ_are_kept_apart(gazetteer):
    names = ["National Council for the Safeguard of the Homeland", "Conseil national de transition"]
    names += ["Conseil national", "National Council"]  # two words: too many bodies have them
    found = resolve([mention(n, "organisation", article=n) for n in names], gazetteer=gazetteer)
    assert len(found) == 4


def test_a_name_cut_short_joins_the_one_longer_name_it_begins(gazetteer):
    full = "Conseil national pour la sauvegarde de la patrie"
    cut = "le président du Conseil national pour la […] a parlé"
    start = cut.index("Conseil")
    short = Mention("b", 0, start, start + 16, "Conseil national", "organisation", cut, 0, "model")
    found = resolve([mention(full, "organisation"), short], gazetteer=gazetteer)
    assert [(e.name, sorted(e.aliases)) for e in found] == [(full, ["Conseil national", full])]
    assert [d.rule for d in found[0].decisions] == ["cut short"]
    whole = "le Conseil national a parlé"  # not cut: a name of its own
    alone = replace(short, sentence=whole, start=3, end=19)
    assert len(resolve([mention(full, "organisation"), alone], gazetteer=gazetteer)) == 2


def test_a_feature_named_after_a_place_is_widened_and_is_not_the_place():
    features = load_features()
    text = "la centrale nucléaire de Zaporijjia, près de la Zaporozhye NPP et du Zaporizhzhia"
    start = text.index("Zaporijjia")
    widened = features.widen(text, start, start + len("Zaporijjia"))
    assert (
        widened is not None and text[widened[0] : widened[1]] == "centrale nucléaire de Zaporijjia"
    )
    start = text.index("Zaporozhye")
    widened = features.widen(text, start, start + len("Zaporozhye"))
    assert widened is not None and text[widened[0] : widened[1]] == "Zaporozhye NPP"
    start = text.index("Zaporizhzhia")
    assert features.widen(text, start, start + len("Zaporizhzhia")) is None


def test_one_feature_in_two_languages_has_one_key_and_the_city_another(gazetteer):
    lexicon = load_lexicon()
    plant = {
        feature_key(name, lexicon, gazetteer)
        for name in ("centrale nucléaire de Zaporijjia", "Zaporizhzhia Nuclear Power Plant")
    }
    region = {
        feature_key(n, lexicon, gazetteer) for n in ("oblast de Zaporijjia", "Zaporozhye region")
    }
    assert len(plant) == len(region) == 1 and plant != region
    assert feature_key("Zaporijjia", lexicon, gazetteer) is None  # the city: a plain name
    # not apart from their place: a region that is no city, a country's long name
    assert feature_key("région du Sahel", lexicon, gazetteer) is None  # no feature word
    assert feature_key("République du Niger", lexicon, gazetteer) == "niger"
    assert feature_key("centrale nucléaire d'Ukraine", lexicon, gazetteer) == "ukraine"


def test_demonyms_and_roles_are_no_entity(gazetteer):
    lexicon = load_lexicon()
    for word in ("nigeriens", "russes", "ukrainian", "francais", "syriens", "israeli"):
        assert gazetteer.is_demonym(word), word
    for word in ("francois", "niger", "bazoum", "peres", "moscou"):
        assert not gazetteer.is_demonym(word), word
    assert is_role("ministre de la defense", lexicon)
    assert is_role("president de la republique", lexicon)
    assert not is_role("president macron", lexicon)
    found = entities_of(
        [
            mention("Nigériens"),
            mention("ministre de la Défense", "organisation"),
            mention("Bazoum"),
        ],
        gazetteer,
    )
    assert set(found) == {"Bazoum"}


def test_continents_are_places_with_coordinates(gazetteer):
    for name in ("Europe", "Afrique", "Africa", "Amérique du Sud"):
        place = gazetteer.lookup(name)
        assert place is not None and place.kind == "continent", name


def test_international_organisations_are_known_in_french_and_english_and_societies_apart():
    known = {
        alias: entry["name"] for entry in load_known_organisations() for alias in entry["aliases"]
    }
    assert known["ECOWAS"] == known["CEDEAO"] == known["Cédéao"]
    assert known["IAEA"] == known["AIEA"] == "Agence internationale de l'énergie atomique"
    assert known["Spanish Red Cross"] == "Croix-Rouge espagnole" != known["ICRC"]
    assert "Croix-Rouge" not in known and "Red Cross" not in known  # which one is not known
    assert known["Élysée"] == known["Elysée"] == "Élysée"


@pytest.mark.slow
def test_the_real_pipeline_types_institutions_and_keeps_red_cross_societies_apart(gazetteer):
    nlp = load_pipeline()
    text = (
        "L'Élysée et le Quai d'Orsay ont salué la Croix-Rouge espagnole et le Comité "
        "international de la Croix-Rouge, selon l'agence TASS. Les Nations Unies et la "
        "Cédéao se sont réunies à Niamey."
    )
    mentions = extract_mentions([article(text)], nlp)
    found = {e.name: e.type for e in resolve(mentions, gazetteer=gazetteer)}
    assert found["Élysée"] == found["Quai d'Orsay"] == "organisation"
    assert found["Croix-Rouge espagnole"] == "organisation"
    assert "Comité international de la Croix-Rouge" in found
    assert found["TASS"] == found["CEDEAO"] == "organisation"
    assert found["Organisation des Nations unies"] == "organisation"  # `Nations Unies`
    assert found["Niamey"] == "place"


@pytest.mark.slow
def test_the_real_pipelines_join_a_junta_named_in_french_and_in_english(gazetteer):
    """An English article gives the junta's name in translation, with a misspelt
    acronym; French articles give its own name and acronym, one of them cut short."""
    english = article(
        "He said the soldiers were acting for the National Council for the Safeguard of the "
        "Homeland (CLSP).",
        slug="en",
        language="en",
    )
    french = article(
        "Les militaires du Conseil national pour la sauvegarde de la patrie (CNSP) ont parlé.",
        "Le général Tiani est le président du Conseil national pour la […]",
        slug="fr",
    )
    mentions = extract_mentions([english], load_pipeline(DEFAULT_ENGLISH_MODEL))
    mentions += extract_mentions([french], load_pipeline())
    assert "CLSP" in {m.text for m in mentions}
    junta = [e for e in resolve(mentions, gazetteer=gazetteer) if "CNSP" in e.aliases]
    assert len(junta) == 1
    assert {"CLSP", "National Council for the Safeguard of the Homeland"} <= set(junta[0].aliases)
    assert "Conseil national" in junta[0].aliases


def place_of(entities, name):
    entity = next(e for e in entities if e.name == name)
    return entity.country, entity.coordinates


def test_a_place_is_located_in_the_countries_the_dossier_talks_about(gazetteer):
    """The floods around Valencia: `Valencia` is in Spain, not in Venezuela (a bigger
    namesake); `Chiva`, a town too small for the gazetteer, is not `Xiva` in Uzbekistan
    (one of its alternate names), but a place without coordinates."""
    mentions = [
        mention("Espagne", "place"),
        mention("Valencia", "place", article="b"),
        mention("Chiva", "place", article="b", start=20),
    ]
    entities = resolve(mentions, gazetteer=gazetteer)
    assert place_of(entities, "Valencia")[0] == "ES"
    assert place_of(entities, "Chiva") == (None, None)
    without_context = resolve([mention("Valencia", "place")], gazetteer=gazetteer)
    assert place_of(without_context, "Valencia")[0] == "VE"  # the biggest, when nothing tells


def test_a_near_namesake_found_by_an_alternate_name_is_kept(gazetteer):
    """`Mossoul` (an alternate name of Mosul, Iraq) in a dossier that names only Syria."""
    entities = resolve(
        [mention("Syrie", "place"), mention("Mossoul", "place")], gazetteer=gazetteer
    )
    assert place_of(entities, "Mossoul")[0] == "IQ"


def test_the_page_title_is_the_name_in_the_dossier_language(gazetteer):
    mentions = [
        mention("Zaporizhzhia Nuclear Power Plant", "place", article="en1"),
        mention("Zaporizhzhia Nuclear Power Plant", "place", article="en2"),
        mention("centrale nucléaire de Zaporijjia", "place", article="fr"),
    ]
    french = resolve(mentions, gazetteer=gazetteer, preferred={"fr"})
    assert [e.name for e in french] == ["centrale nucléaire de Zaporijjia"]
    assert len(french[0].mentions) == 3
    english = resolve(mentions, gazetteer=gazetteer, preferred={"en1", "en2"})
    assert [e.name for e in english] == ["Zaporizhzhia Nuclear Power Plant"]


def test_a_name_the_dossier_knows_is_found_where_the_model_missed_it(gazetteer):
    from generator.resolve.propagate import missed_mentions

    known = "Le colonel Amadou Abdramane a lu le texte, selon Energoatom."
    missed = (
        "On Wednesday Col Maj Amadou Abdramane spoke; the Washington Post and Energoatom said so."
    )
    articles = [article(known, slug="a"), article(missed, slug="b")]
    start = known.index("Amadou")
    found = [
        mention("Amadou Abdramane", start=start),
        mention("Energoatom", "organisation", start=known.index("Energoatom")),
        mention("Washington", "place", article="c"),
    ]
    entities = resolve(found, gazetteer=gazetteer)
    extra = missed_mentions(articles, entities, found, load_lexicon())
    assert [(m.article, m.text, m.type, m.evidence) for m in extra] == [
        ("b", "Amadou Abdramane", "person", "dossier:Amadou Abdramane"),  # after a title
        ("b", "Energoatom", "organisation", "dossier:Energoatom"),
    ]  # not `Washington` of `Washington Post`: part of a longer name
    assert extra[0].sentence == missed


def test_names_of_a_list_that_names_the_feature_once_are_that_feature(gazetteer):
    features = load_features()
    text = "Putin signed treaties to absorb the Luhansk, Kherson and Zaporizhzhia regions."
    for name in ("Luhansk", "Kherson", "Zaporizhzhia"):
        start = text.index(name)
        listed = features.listed(text, start, start + len(name))
        assert listed is not None and listed.kind == "region", name
    french = "Moscou a annexé les régions de Kherson et Zaporijjia, puis Kyiv et la ville"
    for name, kind in (("Zaporijjia", "region"), ("Moscou", None), ("Kyiv", None)):
        start = french.index(name)
        listed = features.listed(french, start, start + len(name))
        assert (listed.kind if listed else None) == kind, name
    region = mention("Zaporizhzhia", "place", evidence="feature: region")
    city = mention("Zaporijjia", "place", article="b")
    found = {
        e.name: e.coordinates is not None for e in resolve([region, city], gazetteer=gazetteer)
    }
    assert found == {"Zaporizhzhia": False, "Zaporijjia": True}  # the region is not the city
