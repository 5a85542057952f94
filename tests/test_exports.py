"""The open data exports, loaded back from the built sample site and checked against it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from generator.model import build_dossier
from generator.site import exports, urls

pytestmark = pytest.mark.slow


def read(settings, name: str) -> str:
    return (settings.site_dir / name).read_text(encoding="utf-8")


def site_has(settings, url: str) -> bool:
    """A site URL (`people/x/`, `sources/y/#p2`) points at a built page and anchor."""
    path, _, anchor = url.partition("#")
    page = Path(settings.site_dir / path / "index.html")
    if not page.is_file():
        return False
    return not anchor or f'id="{anchor}"' in page.read_text(encoding="utf-8")


def test_dossier_json_holds_every_article_entity_and_mention(seeds_site):
    settings, dossier = seeds_site
    data = json.loads(read(settings, exports.DOSSIER_JSON))
    assert [a["id"] for a in data["articles"]] == [f"sources/{a.slug}" for a in dossier.articles]
    assert len(data["entities"]) == len(dossier.entities)
    assert len(data["mentions"]) == sum(len(e.mentions) for e in dossier.entities)
    by_id = {e["id"]: e for e in data["entities"]}
    for entity in dossier.entities:
        record = by_id[urls.entity_id(entity)]
        assert (record["name"], record["type"], record["mentions"]) == (
            entity.name,
            entity.type,
            len(entity.mentions),
        )
        assert site_has(settings, record["url"])
    article_ids = {a["id"] for a in data["articles"]}
    for mention in data["mentions"]:
        assert mention["entity"] in by_id and mention["article"] in article_ids
        assert site_has(settings, mention["url"]), mention["url"]
        paragraph = next(a for a in data["articles"] if a["id"] == mention["article"])[
            "paragraphs"
        ][mention["paragraph"] - 1]
        assert paragraph[mention["start"] : mention["end"]] == mention["text"]


def test_entities_csv_has_one_row_per_entity(seeds_site):
    settings, dossier = seeds_site
    rows = list(csv.DictReader(read(settings, exports.ENTITIES_CSV).splitlines()))
    assert sorted(r["id"] for r in rows) == sorted(urls.entity_id(e) for e in dossier.entities)
    by_id = {urls.entity_id(e): e for e in dossier.entities}
    for row in rows:
        entity = by_id[row["id"]]
        assert int(row["mentions"]) == len(entity.mentions)
        assert row["aliases"].split(" | ") == list(entity.aliases)
        if entity.coordinates:
            assert (float(row["latitude"]), float(row["longitude"])) == entity.coordinates
        assert site_has(settings, row["url"])


def test_places_geojson_has_every_located_place_lon_lat(seeds_site):
    settings, dossier = seeds_site
    data = json.loads(read(settings, exports.PLACES_GEOJSON))
    located = {urls.entity_id(e): e for e in dossier.entities_of("place") if e.coordinates}
    assert located, "the sample corrections give some places coordinates"
    assert data["type"] == "FeatureCollection"
    assert {f["id"] for f in data["features"]} == set(located)
    for feature in data["features"]:
        lat, lon = located[feature["id"]].coordinates
        assert feature["geometry"] == {"type": "Point", "coordinates": [lon, lat]}
        assert site_has(settings, feature["properties"]["url"])


def test_ftm_lines_pass_the_followthemoney_model(seeds_site):
    from followthemoney import model

    settings, dossier = seeds_site
    lines = read(settings, exports.FTM_JSON).splitlines()
    entities = [json.loads(line) for line in lines]
    by_id = {e["id"]: e for e in entities}
    assert len(by_id) == len(entities), "ids are unique"
    for data in entities:
        schema = model.get(data["schema"])
        assert schema is not None and not schema.abstract
        assert schema.validate(data) is None
        assert set(data["properties"]) <= set(schema.properties), data["id"]
        assert set(schema.required) <= set(data["properties"]), data["id"]
        proxy = model.get_proxy(data, cleaned=False)
        assert proxy.id == data["id"]
        for name, values in data["properties"].items():
            prop = schema.properties[name]
            if prop.type.name == "entity":  # references point at an entity of the right kind
                for ref in values:
                    assert model.get(by_id[ref]["schema"]).is_a(prop.range), (name, ref)
    schemas = [e["schema"] for e in entities]
    assert schemas.count("Article") == len(dossier.articles)
    assert schemas.count("Mention") == sum(len(e.mentions) for e in dossier.entities)
    for kind, schema in exports.FTM_SCHEMA.items():
        assert schemas.count(schema) == len(dossier.entities_of(kind))


def test_exports_do_not_depend_on_entity_order(seeds_site):
    settings, dossier = seeds_site
    shuffled = build_dossier(
        dossier.articles, list(reversed(dossier.entities)), events=dossier.events
    )
    for page in exports.export_pages(shuffled):
        assert page.data == (settings.site_dir / page.path).read_bytes(), page.path


def test_home_page_links_every_export(seeds_site):
    settings, _ = seeds_site
    home = read(settings, "index.html")
    for page in (exports.DOSSIER_JSON, exports.ENTITIES_CSV, exports.PLACES_GEOJSON):
        assert f'href="{page}"' in home
    assert f'href="{exports.FTM_JSON}"' in home


def test_events_are_exported_with_their_places_actors_and_sources(seeds_site):
    settings, dossier = seeds_site
    if not hasattr(dossier, "events"):
        pytest.skip("this dossier has no events stage")
    data = json.loads(read(settings, exports.DOSSIER_JSON))
    entity_ids = {e["id"] for e in data["entities"]}
    article_ids = {a["id"] for a in data["articles"]}
    assert [e["id"] for e in data["events"]] == [f"events/{e.slug}" for e in dossier.events]
    for event in data["events"]:
        assert set(event["places"] + event["actors"]) <= entity_ids
        assert set(event["sources"]) <= article_ids
        assert site_has(settings, event["url"])
    ftm = [json.loads(line) for line in read(settings, exports.FTM_JSON).splitlines()]
    assert sum(e["schema"] == "Event" for e in ftm) == len(dossier.events)
