"""Search: the folded index fields, the plugin that adds them and `dossier search`."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from importlib.resources import files

import pytest
from click.testing import CliRunner
from lunr.query import Query
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from generator.cli.main import main
from generator.ingest.read import read_articles
from generator.site.pages import search_lead
from generator.site.search import Rank, build_search, query_terms, search_site
from generator.site.search_fields import (
    EXTRA_FIELDS,
    augment_index,
    folded_only,
    name_key,
    name_words,
    stop_words,
)
from generator.site.search_index import (
    INDEX_FILE,
    PREBUILT_FILE,
    SearchError,
    decode_entries,
    document_terms,
    encode_entries,
    index_builder,
    load_index,
    lunr_index,
    prebuilt_files,
    site_documents,
)

from .conftest import ROOT, SEEDS, build_project

SEPARATOR = re.compile(r"[\s\-'’\"«»“”.,;:!?()\[\]/]+")


def test_stop_words_are_those_of_the_browser():
    lunr_fr = files("material").joinpath("templates/assets/javascripts/lunr/min/lunr.fr.min.js")
    match = re.search(r'generateStopWordFilter\("([^"]*)"', lunr_fr.read_text("utf-8"))
    assert match and stop_words() == frozenset(match.group(1).split(" "))


def test_only_words_that_change_are_folded_once():
    text = "<p>L’État a été frappé ; l'État-major et Deir ez-Zor, où l’armée</p>"
    assert folded_only(text, SEPARATOR) == ["etat", "frappe", "ou", "armee"]  # été: stop word


def test_names_are_kept_as_written_and_folded():
    assert name_words(["État islamique", "ISIS", "<b>Daïch</b>"]) == [
        "état",
        "islamique",
        "etat",
        "isis",
        "b",
        "daïch",
        "daich",
    ]


def test_names_go_on_the_page_entry_only_and_output_is_stable():
    data = {
        "config": {"separator": SEPARATOR.pattern},
        "docs": [
            {"location": "people/x/", "title": "Haïder", "text": "<p>Aussi dit Haider</p>"},
            {"location": "people/x/#mentions", "title": "Mentions", "text": "Haïder a dit"},
        ],
    }
    once = augment_index(json.loads(json.dumps(data)), {"people/x/": ["Haïder al-Abadi"]})
    again = augment_index(json.loads(json.dumps(data)), {"people/x/": ["Haïder al-Abadi"]})
    assert once == again
    page, section = once["docs"]
    assert page["names"] == "haïder al abadi haider"
    assert page["title_folded"] == "haider" and "text_folded" not in page
    assert "names" not in section and section["text_folded"] == "haider"


def test_plugin_refuses_fields_the_browser_would_not_index(tmp_path):
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"\n      fields:\n(        .*\n)+", "\n", text)
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    (tmp_path / "content").mkdir()
    config = load_config(str(tmp_path / "mkdocs.yml"))
    with pytest.raises(PluginError, match="declare names, title_folded, text_folded"):
        config.plugins.on_config(config)


@pytest.mark.slow
def test_built_index_has_folded_fields_and_stays_lean(seeds_site):
    settings, _ = seeds_site
    config = json.loads((settings.site_dir / INDEX_FILE).read_text(encoding="utf-8"))["config"]
    assert set(config["fields"]) >= {"names", "title_folded", "text_folded"}
    prebuilt = load_index(settings.site_dir)
    daech = prebuilt["locations"].index("organisations/daech/")
    fields = prebuilt["fields"]
    postings = {
        term: {name: dict(decode_entries(n)) for name, n in zip(fields, posting, strict=False)}
        for term, posting in zip(prebuilt["terms"], prebuilt["postings"], strict=True)
    }
    for word in ("daesh", "isis", "etat", "état", "islamique"):
        assert daech in postings[word].get("names", {}), word
    repeated = ("#mentions", "#sources", "#entites-associees", "#entites-citees")
    assert not [location for location in prebuilt["locations"] if location.endswith(repeated)]

    def count(*names):
        return sum(len(p.get(name, {})) for p in postings.values() for name in names)

    # folded words only (a folded copy of the text would be about as many as the text's)
    assert count("title_folded", "text_folded") < 0.3 * count("title", "text")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("abadi", "people/haider-al-abadi/"),
        ("etat islamique", "organisations/daech/"),
        ("ISIS", "organisations/daech/"),
        ("deir ez zor", "places/deir-ez-zor/"),
        ("Boukamal", "places/abou-kamal/"),
    ],
)
def test_search_ranks_the_entity_first(seeds_site, query, first):
    settings, _ = seeds_site
    assert search_site(settings.site_dir, query)[0].location == first


@pytest.mark.slow
def test_search_command_prints_ranked_pages(seeds_site):
    settings, _ = seeds_site
    result = CliRunner().invoke(
        main, ["search", "frappe", "--site", str(settings.site_dir), "--limit", "2"]
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if re.match(r"\s*\d+\. ", line)]
    assert len(lines) == 2 and all("/sources/" in line for line in lines)


def test_search_command_without_a_site_says_so(tmp_path):
    result = CliRunner().invoke(main, ["search", "abadi", "--site", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / PREBUILT_FILE}: no search index" in result.output


def index_docs(settings) -> list[dict]:
    return site_documents(settings.site_dir)


def test_list_pages_are_found_by_title_but_do_not_repeat_their_entries(seeds_site):
    settings, _ = seeds_site
    docs = {d["location"]: d for d in index_docs(settings)}
    assert docs["people/"]["title"] == "Personnes"
    for location in ("people/", "places/", "organisations/", "sources/", "timeline/"):
        assert "Abadi" not in docs[location]["text"], location  # the tables stay out
    assert not [loc for loc in docs if loc.startswith("timeline/#")]  # month tables too
    assert "Abadi" in docs["people/haider-al-abadi/"]["title"]


@pytest.mark.slow
def test_large_dossiers_index_the_lead_of_each_source(make_project, seeds_site):
    settings = make_project(SEEDS)
    lead_only = dataclasses.replace(settings, search_text="lead")
    build_project(lead_only)
    texts = {d["location"]: d["text"] for d in index_docs(lead_only)}
    source = read_articles(SEEDS).articles[1]
    indexed = texts[f"sources/{source.slug}/#texte"]
    first, later = source.paragraphs[0], source.paragraphs[-1]
    assert first.split()[0] in indexed and later not in indexed
    html = (lead_only.site_dir / "sources" / source.slug / "index.html").read_text("utf-8")
    assert later.split()[-1].strip(".»") in html  # still on the page, only out of the index
    assert texts[f"sources/{source.slug}/"] == ""  # its card (outlet, date, file) too
    assert not [location for location in texts if location.startswith("events/")]
    events = sorted((lead_only.site_dir / "events").glob("*/index.html"))
    assert events  # event pages are built, reached from the timeline and their entities
    full = {d["location"] for d in index_docs(seeds_site[0])}  # the same, full text
    assert any(location.startswith("events/") for location in full)
    auto = dataclasses.replace(settings, search_full_text_below=2)  # 2 articles: "large"
    assert search_lead(auto, 2) == 2 and search_lead(settings, 2) is None


def test_the_prebuilt_index_finds_what_the_index_built_in_place_finds():
    docs = [
        {"location": "people/x/", "title": "Haïder al-Abadi", "text": "<p> Personne</p>"},
        {"location": "people/x/#mentions", "title": "Mentions", "text": "<p>L’État a dit</p>"},
        {"location": "sources/a/", "title": "Frappes en Syrie", "text": "<p>frappé, frappes</p>"},
        {"location": "places/y/", "title": "Deir ez-Zor", "text": "Deir Deir", "boost": 3},
    ]
    config = {"separator": SEPARATOR.pattern, "fields": {f: {"boost": 1} for f in FIELDS}}
    config["fields"]["names"]["boost"] = 1000
    names = {"people/x/": ["Haïder al-Abadi", "Haidar"], "places/y/": ["Deir ez-Zor"]}
    data = augment_index({"config": config, "docs": docs}, names)
    files = prebuilt_files(data)
    prebuilt = json.loads(files[PREBUILT_FILE])
    assert prebuilt["locations"] == [d["location"] for d in docs]
    assert prebuilt["terms"] == sorted(prebuilt["terms"])
    # no lunr field vectors: term frequencies, from which the scores are computed again
    assert "fieldVectors" not in files[PREBUILT_FILE]
    deir = prebuilt["postings"][prebuilt["terms"].index("deir")]
    assert decode_entries(deir[FIELDS.index("text")]) == [(3, 2)]
    loaded, built = lunr_index(prebuilt), build_search(data).index

    def results(index, query):
        lunr_query = index.create_query()
        for term in query_terms(query, SEPARATOR):
            lunr_query.term(term, use_pipeline=False, wildcard=Query.WILDCARD_TRAILING)
        return [(r["ref"], round(r["score"], 6)) for r in index.query(lunr_query)]

    for query in ("abadi", "haidar", "frappe", "etat", "deir ez zor", "syrie personne"):
        assert results(built, query), query
        assert results(loaded, query) == results(built, query), query


def test_the_prebuilt_index_counts_the_terms_lunr_s_builder_counts(seeds_site):
    settings, _ = seeds_site
    docs = site_documents(settings.site_dir)
    docs.append({"location": "x/", "title": "Le Monde et la Syrie", "text": "<p>LE le, Été</p>"})
    config = {"separator": SEPARATOR.pattern, "fields": {f: {"boost": 1} for f in FIELDS}}
    data = augment_index({"config": config, "docs": docs}, {"x/": ["Le Monde", ""]})
    builder = index_builder(data)
    counted = list(document_terms(data))
    assert len(counted) == len(docs) > 50
    for number, terms in enumerate(counted):
        for name, found in zip(FIELDS, terms, strict=True):
            assert found == builder.field_term_frequencies[f"{name}/{number}"], (number, name)
    assert counted[-1][FIELDS.index("title")] == {"monde": 1, "syrie": 1}  # no stop words


def test_entries_are_stored_as_deltas_with_their_term_frequencies():
    entries = [(0, 1), (3, 1), (5, 2), (9, 1), (10, 7)]
    assert encode_entries(entries) == [1, 3, -2, 2, 4, -1, 7]
    assert decode_entries(encode_entries(entries)) == entries


def test_text_files_hold_the_text_results_show_and_are_named_by_content():
    docs = [{"location": f"sources/{n}/", "title": "S", "text": f"<p>{n}</p>"} for n in range(3)]
    config = {"separator": SEPARATOR.pattern, "fields": {f: {"boost": 1} for f in FIELDS}}
    files = prebuilt_files({"config": config, "docs": docs})
    assert json.loads(files[INDEX_FILE]) == {"config": config, "docs": []}  # Material's
    prebuilt = json.loads(files[PREBUILT_FILE])
    [name] = prebuilt["texts"]["files"]
    assert json.loads(files[PREBUILT_FILE.parent / name]) == ["<p>0</p>", "<p>1</p>", "<p>2</p>"]
    docs[1]["text"] = "<p>changed</p>"
    assert json.loads(prebuilt_files({"config": config, "docs": docs})[PREBUILT_FILE])["texts"][
        "files"
    ] != [name]


FIELDS = ("names", "title_folded", "text_folded", "title", "text", "tags")


@pytest.mark.slow
def test_the_page_downloads_no_documents_the_worker_reads_them_itself(seeds_site):
    settings, _ = seeds_site
    material = json.loads((settings.site_dir / INDEX_FILE).read_text(encoding="utf-8"))
    assert material["docs"] == [] and material["config"]["lang"] == ["fr"]
    docs = {d["location"]: d for d in site_documents(settings.site_dir)}
    assert docs["people/ali-maqsood/"]["title"] == "Ali Maqsood"
    assert "Hosaiba" in " ".join(d["text"] for d in docs.values())
    assert not [d for d in docs.values() if set(d) & set(EXTRA_FIELDS)]  # in the index only


@pytest.mark.slow
def test_search_refuses_an_index_of_another_format(seeds_site, tmp_path):
    settings, _ = seeds_site
    site = tmp_path / "site"
    shutil.copytree(settings.site_dir / "search", site / "search")
    prebuilt = load_index(site)
    prebuilt["format"] = "lunr"
    (site / PREBUILT_FILE).write_text(json.dumps(prebuilt), encoding="utf-8")
    with pytest.raises(SearchError, match=r"lunr_index\.json: made by another version"):
        search_site(site, "abadi")


def ranking_site():
    """An entity with other names, a second one named after a place, an event, sources."""
    docs = [
        {"location": "sources/a/", "title": "Dépêche", "text": "<p>Al-Qaïda frappe Mossoul.</p>"},
        {"location": "sources/b/", "title": "Dépêche", "text": "<p>Mossoul, encore.</p>"},
        {"location": "sources/c/", "title": "À Mossoul", "text": "<p>Mossoul, encore.</p>"},
        {"location": "events/x/", "title": "Frappe — Mossoul", "text": "", "boost": 0.5},
        {"location": "organisations/q/", "title": "Al-Qaïda", "text": "", "boost": 3},
        {"location": "places/m/", "title": "Mossoul", "text": "", "boost": 3},
        {"location": "organisations/b/", "title": "Bataille de Mossoul", "text": "", "boost": 3},
        {"location": "places/al/", "title": "Alqosh", "text": "", "boost": 3},
    ]
    config = {"separator": SEPARATOR.pattern, "fields": {f: {"boost": 1} for f in FIELDS}}
    for name in ("names", "title_folded", "title"):
        config["fields"][name]["boost"] = 1000
    names = {
        "organisations/q/": ["Al-Qaïda", "Al Qaeda", "AQ", "@AlQaidaMedia"],
        "places/m/": ["Mossoul", "Mosul"],
        "organisations/b/": ["Bataille de Mossoul"],
        "places/al/": ["Alqosh"],
    }
    return build_search(augment_index({"config": config, "docs": docs}, names))


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Al-Qaïda", "organisations/q/"),
        ("al qaida", "organisations/q/"),  # lower case, no accent, no hyphen
        ("AL QAEDA", "organisations/q/"),  # another name
        ("aq", "organisations/q/"),
        ("@AlQaidaMedia", "organisations/q/"),  # a handle: `@` does not split it
        ("mosul", "places/m/"),
        ("bataille de mossoul", "organisations/b/"),  # `de`, a stop word, is in no entry
        ("qaida mossoul", "sources/a/"),  # the only page with both words
    ],
)
def test_a_name_of_an_entity_puts_its_page_first(query, first):
    assert [page.location for page in ranking_site().search(query)][:1] == [first]


def test_the_entity_then_pages_about_it_then_sources_that_mention_it():
    results = ranking_site().search("Mossoul")
    assert [page.location for page in results] == [
        "places/m/",  # its name
        "organisations/b/",  # named after it: every word in its names, scored above events
        "events/x/",  # every word in its title
        "sources/c/",  # an article, even with the name in its title: the highest score
        "sources/a/",  # equal scores: by location
        "sources/b/",
    ]
    assert [page.rank for page in results][:3] == [Rank.NAME, Rank.HEADLINE, Rank.HEADLINE]
    assert results[2].score < results[3].score
    assert results[4].score == results[5].score


def test_pages_with_every_word_come_before_pages_with_some():
    results = ranking_site().search("frappe mossoul")  # no entity's name: by score then
    ranks = [page.rank for page in results]
    assert {page.location for page in results[:2]} == {"events/x/", "sources/a/"}
    assert ranks[:2] == [Rank.ALL_WORDS, Rank.ALL_WORDS] and set(ranks[2:]) == {Rank.SOME_WORDS}
    assert results[0].score >= results[1].score
    # a page with one word can outscore those with both, and still comes after them
    assert max(p.score for p in results[2:]) > results[1].score


def test_the_other_names_are_kept_in_the_prebuilt_index_apart_from_the_title():
    docs = [{"location": "organisations/q/", "title": "Al-Qaïda", "text": ""}]
    config = {"separator": SEPARATOR.pattern, "fields": {f: {"boost": 1} for f in FIELDS}}
    names = {"organisations/q/": ["Al-Qaïda", "al-Qaida", "Al Qaeda", "ﬁ Ḩammād"]}
    data = augment_index({"config": config, "docs": docs}, names)
    prebuilt = json.loads(prebuilt_files(data)[PREBUILT_FILE])
    assert prebuilt["nameKeys"] == [[0, "al qaeda", "fi hammad"]]  # `al qaida`: the title's
    assert name_key("L’État-Major", SEPARATOR) == "l etat major"


def test_a_name_the_separator_keeps_whole_is_a_name_word_too():
    assert name_words(["@RTenfrancais", "RT France"], SEPARATOR) == [
        "rtenfrancais",
        "@rtenfrancais",
        "rt",
        "france",
    ]
