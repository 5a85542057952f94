"""Exports: the dossier as open data files beside the pages, each byte-deterministic.

- `exports/dossier.json`: everything (articles, entities, mentions, events when the
  dossier has them), with stable ids and the site URL of every page;
- `exports/entities.csv`: one row per entity, for spreadsheets;
- `exports/places.geojson`: the places that have coordinates (GeoJSON is lon, lat);
- `exports/dossier.ftm.json`: FollowTheMoney entities, one JSON object a line, for Aleph
  and other FtM tools: Person, Organization, Address (places), Article (sources),
  Mention (every mention; `resolved` for people and organisations) and Documentation
  (an article that names a place), Event (with its actors, places and sources).

They are `Page`s like the Markdown pages: written into the content folder (tracked by
the manifest) and copied into the site by MkDocs as static files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from typing import Any

import orjson

from generator.records import Article, Dossier, Entity, Event, LinkedMention, Mention, Page
from generator.site import urls
from generator.site.urls import (
    DOSSIER_JSON,
    ENTITIES_CSV,
    FTM_JSON,
    PLACES_GEOJSON,
    entity_id,
    entity_url,
    mention_id,
)

FTM_SCHEMA = {"person": "Person", "organisation": "Organization", "place": "Address"}
CSV_COLUMNS = [
    "id",
    "type",
    "name",
    "aliases",
    "mentions",
    "sources",
    "first_seen",
    "last_seen",
    "latitude",
    "longitude",
    "description",
    "links",
    "url",
]


# --- ids and URLs (the same in every export: see `urls`) -------------------------------


def entity_ftm_id(entity: Entity) -> str:
    return ftm_id(urls.SECTIONS[entity.type], entity.slug)


def ftm_id(kind: str, key: str) -> str:
    """FtM ids allow letters, digits, `.` and `-`: slugs and offsets only use those."""
    return f"dossier-{kind}-{key}".replace("/", "-")


JSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def json_bytes(data: object) -> bytes:
    """Compact, keys sorted, by orjson: the exports are made again at every build, and
    the json module took 9 s of CPU for those of 10,000 articles. Bytes, as the large
    exports' pages hold them: their text as `str` (two bytes a character, the whole
    text, as soon as one is past U+00FF) doubled the 440 MB of `dossier.json` and the FtM
    file of 10,000 articles on their way to the file."""
    return orjson.dumps(data, option=JSON_OPTIONS) + b"\n"


def json_text(data: object) -> str:
    return json_bytes(data).decode("utf-8")


# --- the exports -----------------------------------------------------------------------


def export_pages(dossier: Dossier) -> list[Page]:
    return [page for part in export_parts(dossier) for page in part()]


def export_parts(dossier: Dossier) -> list[Callable[[], list[Page]]]:
    """The exports, each made apart (in a process of its own when the pages are)."""
    return [
        lambda: [Page(DOSSIER_JSON, dossier_json(dossier))],
        lambda: [Page(ENTITIES_CSV, entities_csv(dossier))],
        lambda: [Page(PLACES_GEOJSON, places_geojson(dossier))],
        lambda: [Page(FTM_JSON, ftm_lines(dossier))],
    ]


def article_record(article: Article) -> dict[str, Any]:
    return {
        "id": urls.source_id(article.slug),
        "url": urls.source_url(article.slug),
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "outlet": article.outlet,
        "source_url": article.url,
        "language": article.language,
        "author": article.author,
        "files": [article.filename, *article.aliases],
        "sha256": article.sha256,
        "paragraphs": list(article.paragraphs),
    }


def entity_record(dossier: Dossier, entity: Entity) -> dict[str, Any]:
    first, last = dossier.seen_dates(entity)
    return {
        "id": entity_id(entity),
        "url": entity_url(entity),
        "type": entity.type,
        "name": entity.name,
        "aliases": list(entity.aliases),
        "also_known_as": list(entity.also_known_as),
        "description": entity.description,
        "links": list(entity.links),
        "coordinates": list(entity.coordinates) if entity.coordinates else None,
        "origin": entity.origin,
        "mentions": len(entity.mentions),
        "sources": [urls.source_id(a.slug) for a in dossier.sources_of(entity)],
        "first_seen": first.isoformat() if first else None,
        "last_seen": last.isoformat() if last else None,
    }


def mention_record(mention: Mention, entity: Entity) -> dict[str, Any]:
    return {
        "id": mention_id(mention),
        "entity": entity_id(entity),
        "article": urls.source_id(mention.article),
        "url": urls.paragraph_url(mention.article, mention.paragraph),
        "paragraph": mention.paragraph + 1,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "sentence": mention.sentence,
        "origin": mention.origin,
    }


def all_mentions(dossier: Dossier) -> Iterable[tuple[Mention, Entity]]:
    for slug in sorted(dossier.mentions_by_article):
        for linked in dossier.mentions_by_article[slug]:
            yield linked.mention, linked.entity


def events_of(dossier: Dossier) -> list[Event]:
    """The dossier's events, when the events stage has found some (else none)."""
    return list(getattr(dossier, "events", None) or [])


def event_date(value: dt.date | None, precision: str) -> str | None:
    """An ISO date cut to what is known: `2017-02-24`, `2017-02` or `2017`."""
    if value is None:
        return None
    return value.isoformat()[: {"year": 4, "month": 7}.get(precision, 10)]


def event_record(event: Event) -> dict[str, Any]:
    return {
        "id": urls.event_id(event),
        "url": urls.event_url(event),
        "title": event.title,
        "type": event.type,
        "label": event.label,
        "date": event_date(event.date, event.precision),
        "end_date": event_date(event.end_date, event.precision),
        "precision": event.precision,
        "places": [entity_id(p) for p in event.places],
        "actors": [entity_id(a) for a in event.actors],
        "sources": [urls.source_id(slug) for slug in event.articles],
        "origin": event.origin,
        "description": event.description,
        "corrected": list(event.corrected),
        "merged_from": list(event.merged_from),
        "figures": [{"kind": f.kind, "value": f.value, "unit": f.unit} for f in event.figures],
    }


def dossier_json(dossier: Dossier) -> bytes:
    data: dict[str, object] = {
        "articles": [article_record(a) for a in dossier.articles],
        "entities": [entity_record(dossier, e) for e in sorted_entities(dossier)],
        "mentions": [mention_record(m, e) for m, e in all_mentions(dossier)],
    }
    if hasattr(dossier, "events"):
        data["events"] = [event_record(e) for e in events_of(dossier)]
    return json_bytes(data)


def sorted_entities(dossier: Dossier) -> list[Entity]:
    return sorted(dossier.entities, key=entity_id)


def entities_csv(dossier: Dossier) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entity in sorted_entities(dossier):
        record = entity_record(dossier, entity)
        lat, lon = entity.coordinates or ("", "")
        writer.writerow(
            {
                **{k: record[k] for k in ("id", "type", "name", "mentions", "url")},
                "aliases": " | ".join(entity.aliases),
                "sources": len(record["sources"]),
                "first_seen": record["first_seen"] or "",
                "last_seen": record["last_seen"] or "",
                "latitude": lat,
                "longitude": lon,
                "description": entity.description or "",
                "links": " ".join(entity.links),
            }
        )
    return buffer.getvalue()


def located_places(dossier: Dossier) -> list[Entity]:
    return [e for e in sorted_entities(dossier) if e.type == "place" and e.coordinates]


def coordinates_of(places: list[Entity]) -> list[tuple[Entity, tuple[float, float]]]:
    """Each located place with its coordinates (latitude, longitude)."""
    return [(place, place.coordinates) for place in places if place.coordinates]


def places_geojson(dossier: Dossier) -> str:
    features = []
    for place, (lat, lon) in coordinates_of(located_places(dossier)):
        features.append(
            {
                "type": "Feature",
                "id": entity_id(place),
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "name": place.name,
                    "url": entity_url(place),
                    "mentions": len(place.mentions),
                    "sources": len(dossier.sources_of(place)),
                    "description": place.description,
                },
            }
        )
    return json_text({"type": "FeatureCollection", "features": features})


# --- FollowTheMoney --------------------------------------------------------------------


def ftm_lines(dossier: Dossier) -> bytes:
    """One FtM entity a line: the articles, the entities, the events, then each
    article's mentions (and the documentations of the places it names)."""
    ids = {article.slug: ftm_id("source", article.slug) for article in dossier.articles}
    lines = [json_bytes(ftm_article(article)) for article in dossier.articles]
    lines += [json_bytes(ftm_entity(entity)) for entity in sorted_entities(dossier)]
    lines += [json_bytes(ftm_event(event, ids)) for event in events_of(dossier)]
    for slug in sorted(dossier.mentions_by_article):
        lines += map(json_bytes, ftm_mentions(slug, dossier.mentions_by_article[slug]))
    return b"".join(lines)


def ftm_article(article: Article) -> dict[str, Any]:
    from followthemoney.types import registry

    props = {
        "title": [article.title],
        "fileName": [article.filename],
        "bodyText": ["\n\n".join(article.paragraphs)],
    }
    _put(props, "publishedAt", article.date.isoformat() if article.date else None)
    _put(props, "publisher", article.outlet)
    _put(props, "sourceUrl", article.url)
    _put(props, "author", article.author)
    _put(props, "language", registry.language.clean(article.language or ""))
    return {"id": ftm_id("source", article.slug), "schema": "Article", "properties": props}


def ftm_entity(entity: Entity) -> dict[str, Any]:
    props = {"name": [entity.name]}
    aliases = sorted(set(entity.aliases) | set(entity.also_known_as) - {entity.name})
    _put(props, "alias", aliases)
    _put(props, "description", entity.description)
    _put(props, "sourceUrl", sorted(entity.links))
    if entity.type == "place":
        props["full"] = [entity.name]
        if entity.coordinates:
            props["latitude"] = [repr(float(entity.coordinates[0]))]
            props["longitude"] = [repr(float(entity.coordinates[1]))]
    return {"id": entity_ftm_id(entity), "schema": FTM_SCHEMA[entity.type], "properties": props}


def ftm_mentions(slug: str, linked: list[LinkedMention]) -> list[dict[str, Any]]:
    """An article's Mentions, and a Documentation of each place it names (once)."""
    document = ftm_id("source", slug)
    out: list[dict[str, Any]] = []
    documented: set[str] = set()
    for mention, entity in ((m.mention, m.entity) for m in linked):
        target = entity_ftm_id(entity)
        props = {
            "name": [mention.text],
            "document": [document],
            "detectedSchema": [FTM_SCHEMA[entity.type]],
        }
        if entity.type != "place":  # `resolved` is a LegalEntity; an Address is not one
            props["resolved"] = [target]
        out.append(
            {"id": ftm_id("mention", mention_id(mention)), "schema": "Mention", "properties": props}
        )
        if entity.type == "place" and target not in documented:
            documented.add(target)
            out.append(
                {
                    "id": ftm_id("documentation", f"{slug}-{entity.slug}"),
                    "schema": "Documentation",
                    "properties": {
                        "document": [document],
                        "entity": [target],
                        "role": ["mentioned"],
                        "summary": [mention.sentence],
                    },
                }
            )
    return out


def ftm_event(event: Event, articles: dict[str, str]) -> dict[str, Any]:
    props: dict[str, list[str]] = {"name": [event.title or event.label]}
    _put(props, "startDate", event_date(event.date, event.precision))
    _put(props, "endDate", event_date(event.end_date, event.precision))
    _put(props, "summary", event.label)
    _put(props, "description", event.description)
    actors = [a for a in event.actors if a.type != "place"]  # `involved` is a LegalEntity
    _put(props, "involved", [entity_ftm_id(a) for a in actors])
    _put(props, "addressEntity", [ftm_id("places", p.slug) for p in event.places])
    _put(props, "location", [p.name for p in event.places])
    _put(props, "proof", [articles[slug] for slug in event.articles if slug in articles])
    return {"id": ftm_id("events", event.slug), "schema": "Event", "properties": props}


def _put(props: dict[str, list[str]], name: str, value: object) -> None:
    given: list[object] = value if isinstance(value, list) else [value]
    values = [str(v) for v in given if v not in (None, "")]
    if values:
        props[name] = values
