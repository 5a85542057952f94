"""Map and network: TopoJSON decoding, the co-occurrence graph and its layout, the pages."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from generator.model import build_dossier
from generator.records import Entity, Mention
from generator.site.geo import topology_to_geojson, unwrapped_longitudes
from generator.site.network import HEIGHT, MARGIN, build_network, network_svg, strongest
from generator.site.timeline import timeline_data
from generator.site.urls import site_root
from generator.site.visual import js_assignment
from tests.factories import article

ROOT = Path(__file__).resolve().parent.parent


def test_topology_arcs_are_stitched_reversed_and_transformed():
    # two unit squares side by side sharing the arc x=1 (delta- and quantised-encoded)
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
        "arcs": [
            [[2, 0], [0, 2]],  # shared edge, from (1,0) up to (1,1)
            [[2, 2], [-2, 0], [0, -2], [2, 0]],  # left square's other three sides
            [[2, 0], [2, 0], [0, 2], [-2, 0]],  # right square's other three sides
        ],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[1, 0]], "properties": {"name": "West"}},
                    {"type": "Polygon", "arcs": [[2, -1]], "properties": {"name": "East"}},
                    {"type": "Point", "coordinates": [0, 0]},
                ],
            }
        },
    }
    features = topology_to_geojson(topology, "countries")["features"]
    assert [f["properties"]["name"] for f in features] == ["West", "East"]
    west, east = (f["geometry"]["coordinates"][0] for f in features)
    assert west == [[11, 21], [10, 21], [10, 20], [11, 20], [11, 21]]
    assert east == [[11, 20], [12, 20], [12, 21], [11, 21], [11, 20]]  # arc 0 reversed


def mention(article: str, paragraph: int, start: int, text: str, sentence: int = 0) -> Mention:
    return Mention(
        article, paragraph, start, start + len(text), text, "person", "s", sentence, "model"
    )


def entity(slug: str, kind: str, *mentions: Mention) -> Entity:
    return Entity(slug, slug.title(), kind, (slug,), tuple(mentions))


def small_dossier(reverse: bool = False):
    entities = [
        entity("ana", "person", mention("a", 0, 0, "Ana"), mention("a", 1, 0, "Ana")),
        entity("bob", "person", mention("a", 0, 5, "Bob"), mention("a", 1, 5, "Bob", 9)),
        entity("acme", "organisation", mention("a", 1, 9, "Acme", 9)),
        entity("<script>x", "place", mention("a", 2, 0, "<script>x")),
    ]
    return build_dossier(
        [article("p", "p", "p", slug="a", title="a", language="fr")],
        entities[::-1] if reverse else entities,
    )


def test_edges_count_shared_paragraphs_and_linking_sentences_are_kept():
    dossier = small_dossier()
    network = build_network(dossier)
    weights = {(e.source, e.target): e.weight for e in network.edges}
    assert weights == {
        ("people/ana", "people/bob"): 2,
        ("organisations/acme", "people/ana"): 1,
        ("organisations/acme", "people/bob"): 1,
    }
    bob = {r.entity.slug: r for r in dossier.related["people/bob.md"]}
    assert bob["ana"].count == 2 and len(bob["ana"].sentences) == 1  # one shared sentence
    assert [s.paragraph for s in bob["acme"].sentences] == [1]


def test_layout_is_deterministic_and_lines_up_lone_entities():
    first, second = build_network(small_dossier()), build_network(small_dossier(reverse=True))
    assert first == second
    lone = next(n for n in first.nodes if n.type == "place")
    assert lone.y == HEIGHT - MARGIN
    assert all(n.y < HEIGHT - MARGIN for n in first.nodes if n is not lone)
    assert all(n.x == round(n.x, 1) for n in first.nodes)


def test_static_svg_links_every_node_and_escapes_names():
    network = build_network(small_dossier())
    svg = network_svg(network, "../")
    assert svg.count("<a href=") == len(network.nodes)
    assert 'href="../people/ana/"' in svg
    assert "<script>" not in svg and "&lt;script&gt;x" in svg


@pytest.mark.parametrize(
    ("page", "root"),
    [("index.md", ""), ("map/index.md", "../"), ("people/x.md", "../../"), ("a.md", "../")],
)
def test_site_root_follows_directory_urls(page, root):
    assert site_root(page) == root


# --- the built sample site -------------------------------------------------------------


@pytest.mark.slow
def test_every_asset_a_page_loads_is_in_the_site(seeds_site):
    settings, _ = seeds_site
    site = settings.site_dir
    pages = ["map/index.html", "network/index.html", "places/abou-kamal/index.html"]
    for name in pages:
        html = (site / name).read_text(encoding="utf-8")
        assets = re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', html)
        assert any("leaflet" in a or "cytoscape" in a for a in assets), name
        for asset in assets:
            assert not asset.startswith(("http:", "https:", "//")), asset
            assert (site / name).parent.joinpath(asset).resolve().is_file(), (name, asset)


@pytest.mark.slow
def test_map_page_lists_every_place_and_only_places_pages_have_a_map(seeds_site):
    settings, dossier = seeds_site
    site = settings.site_dir
    map_page = (site / "map/index.html").read_text(encoding="utf-8")
    for place in dossier.entities_of("place"):
        assert f'href="../places/{place.slug}/"' in map_page
        page = (site / f"places/{place.slug}/index.html").read_text(encoding="utf-8")
        assert ('class="dossier-map dossier-map--small"' in page) == bool(place.coordinates)
    person = (site / "people/haider-al-abadi/index.html").read_text(encoding="utf-8")
    assert "leaflet" not in person and "cytoscape" not in person


@pytest.mark.parametrize(
    ("longitudes", "expected"),
    [
        ([178.0, -175.0, -172.0], [178.0, 185.0, 188.0]),  # Fiji, Tonga, Samoa: one group
        ([40.9, 44.4, -97.0], [40.9, 44.4, -97.0]),  # the widest gap is the Pacific already
        ([-170.0, 170.0, 10.0], [190.0, 170.0, 10.0]),  # the empty half is -170..10
        ([179.5], [179.5]),
        ([], []),
    ],
)
def test_longitudes_are_unwrapped_across_the_antimeridian(longitudes, expected):
    unwrapped = unwrapped_longitudes(longitudes)
    assert unwrapped == expected
    assert max(unwrapped, default=0) - min(unwrapped, default=0) <= max(
        longitudes, default=0
    ) - min(longitudes, default=0)


def test_the_network_keeps_only_the_strongest_links():
    weights = Counter({("a", "b"): 1, ("a", "c"): 5, ("b", "c"): 5, ("c", "d"): 2})
    kept = strongest(weights, limit=3)
    assert kept == [(("a", "c"), 5), (("b", "c"), 5), (("c", "d"), 2)]
    assert strongest(weights, limit=10) == sorted(weights.items(), key=lambda i: (-i[1], i[0]))


def test_the_timeline_axis_gets_the_dated_events_in_order(seeds_site):
    settings, dossier = seeds_site
    events = timeline_data(dossier.events)["events"]
    dated = [e for e in dossier.events if e.date]
    assert [e["slug"] for e in events] == [e.slug for e in dated]
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    assert len(events) < len(dossier.events)  # the sample has undated events: table only
    written = (settings.site_dir / "assets/dossier/timeline-data.js").read_text(encoding="utf-8")
    assert written == js_assignment("dossierTimeline", {"events": events})
