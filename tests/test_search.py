"""Search: the folded index fields, the plugin that adds them and `dossier search`."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from importlib.resources import files

import pytest
from click.testing import CliRunner
from lunr.index import Index
from lunr.query import Query
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from generator.build import search_lead
from generator.cli import main
from generator.ingest import read_articles
from generator.search import (
    EXTRA_FIELDS,
    INDEX_FILE,
    PREBUILT_FILE,
    SearchError,
    augment_index,
    build_search,
    expand_postings,
    folded_only,
    load_index,
    name_words,
    prebuilt_index,
    query_terms,
    search_site,
    stop_words,
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
    shutil.copytree(ROOT / "content" / "assets", tmp_path / "content" / "assets")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    with pytest.raises(PluginError, match="declare names, title_folded, text_folded"):
        config.plugins.on_config(config)


@pytest.mark.slow
def test_built_index_has_folded_fields_and_stays_lean(seeds_site):
    settings, _ = seeds_site
    data = load_index(settings.site_dir)
    assert set(data["config"]["fields"]) >= {"names", "title_folded", "text_folded"}
    prebuilt = json.loads((settings.site_dir / PREBUILT_FILE).read_text(encoding="utf-8"))
    daech = prebuilt["locations"].index("organisations/daech/")
    postings = dict(prebuilt["index"]["invertedIndex"])
    for word in ("daesh", "isis", "etat", "état", "islamique"):
        assert daech in postings[word].get("names", {}), word
    repeated = ("#mentions", "#sources", "#entites-associees", "#entites-citees")
    assert not [d["location"] for d in data["docs"] if d["location"].endswith(repeated)]

    def count(*fields):
        return sum(len(p.get(field, {})) for p in postings.values() for field in fields)

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
    assert f"{tmp_path / INDEX_FILE}: no search index" in result.output


def build_and_keep(settings):
    build_project(settings)
    return settings


def index_docs(settings) -> list[dict]:
    return json.loads((settings.site_dir / INDEX_FILE).read_text(encoding="utf-8"))["docs"]


def test_list_pages_are_found_by_title_but_do_not_repeat_their_entries(seeds_site):
    settings, _ = seeds_site
    docs = {d["location"]: d for d in index_docs(settings)}
    assert docs["people/"]["title"] == "Personnes"
    for location in ("people/", "places/", "organisations/", "sources/", "timeline/"):
        assert "Abadi" not in docs[location]["text"], location  # the tables stay out
    assert not [loc for loc in docs if loc.startswith("timeline/#")]  # month tables too
    assert "Abadi" in docs["people/haider-al-abadi/"]["title"]


@pytest.mark.slow
def test_large_dossiers_index_the_lead_of_each_source(make_project):
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
    full = {d["location"] for d in index_docs(build_and_keep(settings))}
    assert any(location.startswith("events/") for location in full)
    auto = dataclasses.replace(settings, search_full_text_below=2)  # 2 articles: "large"
    assert search_lead(auto, 2) == 2 and search_lead(settings, 2) is None


def test_the_prebuilt_index_finds_what_the_index_built_in_place_finds():
    docs = [
        {"location": "people/x/", "title": "Haïder al-Abadi", "text": "<p> Personne</p>"},
        {"location": "people/x/#mentions", "title": "Mentions", "text": "<p>L’État a dit</p>"},
        {"location": "sources/a/", "title": "Frappes en Syrie", "text": "<p>frappé, frappes</p>"},
        {"location": "places/y/", "title": "Deir ez-Zor", "text": "", "boost": 3},
    ]
    config = {"separator": SEPARATOR.pattern, "fields": {f: {"boost": 1} for f in FIELDS}}
    names = {"people/x/": ["Haïder al-Abadi", "Haidar"], "places/y/": ["Deir ez-Zor"]}
    data = augment_index({"config": config, "docs": docs}, names)
    prebuilt = json.loads(prebuilt_index(data))
    assert prebuilt["locations"] == [d["location"] for d in docs]
    assert all(vector for _, vector in prebuilt["index"]["fieldVectors"])
    postings = [posting for _, posting in prebuilt["index"]["invertedIndex"]]
    assert all(all(p[field] for field in set(p) & set(FIELDS)) for p in postings)
    assert all(isinstance(n, int) for p in postings for f in set(p) & set(FIELDS) for n in p[f])
    loaded, built = Index.load(expand_postings(prebuilt["index"])), build_search(data).index

    def results(index, query):
        lunr_query = index.create_query()
        for term in query_terms(query, SEPARATOR):
            lunr_query.term(term, use_pipeline=False, wildcard=Query.WILDCARD_TRAILING)
        return [(r["ref"], round(r["score"], 6)) for r in index.query(lunr_query)]

    for query in ("abadi", "haidar", "frappe", "etat", "deir ez zor", "syrie personne"):
        assert results(built, query), query
        assert results(loaded, query) == results(built, query), query


FIELDS = ("names", "title_folded", "text_folded", "title", "text", "tags")


@pytest.mark.slow
def test_the_site_ships_its_documents_without_the_fields_only_the_index_needs(seeds_site):
    settings, _ = seeds_site
    data = load_index(settings.site_dir)
    assert not [d for d in data["docs"] if set(d) & set(EXTRA_FIELDS)]
    prebuilt = json.loads((settings.site_dir / PREBUILT_FILE).read_text(encoding="utf-8"))
    assert prebuilt["locations"] == [d["location"] for d in data["docs"]]


@pytest.mark.slow
def test_search_refuses_an_index_built_for_other_documents(seeds_site, tmp_path):
    settings, _ = seeds_site
    site = tmp_path / "site"
    shutil.copytree(settings.site_dir / "search", site / "search")
    data = load_index(site)
    data["docs"] = data["docs"][1:]
    (site / INDEX_FILE).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SearchError, match=r"made for another search_index\.json"):
        search_site(site, "abadi")
