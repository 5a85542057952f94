"""Network of actors: entities as nodes, shared paragraphs as weighted edges (networkx).

The layout is computed here, once, so that the interactive view (Cytoscape.js, in the
browser) and the static SVG (for readers without JavaScript) show the same picture, and
the same dossier always gives the same coordinates: nodes and edges are added in sorted
order, the spring layout has a fixed seed and its coordinates are rounded.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import networkx as nx

from generator.records import Dossier
from generator.site import urls
from generator.site.urls import entity_id

KINDS = ("person", "organisation", "place")
MAX_NODES = 150  # the most mentioned entities; a bigger graph is unreadable on one page
MAX_EDGES = 600  # the strongest links: at 1,000 articles 150 nodes share thousands
WIDTH, HEIGHT, MARGIN = 960, 640, 60
LAYOUT_SEED = 7


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    type: str
    page: str  # in the content folder (`people/x.md`), for Markdown links
    mentions: int
    x: float
    y: float

    @property
    def url(self) -> str:
        """The page's URL, relative to the site root (`people/x/`)."""
        return urls.page_url(self.page)

    @property
    def radius(self) -> float:
        return round(6 + 3 * math.sqrt(self.mentions), 1)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    weight: int  # paragraphs in which both appear


@dataclass(frozen=True)
class Network:
    nodes: list[Node]
    edges: list[Edge]


def cooccurrence_graph(dossier: Dossier, kinds: tuple[str, ...] = KINDS) -> nx.Graph[str]:
    """Entities (the `MAX_NODES` most mentioned) linked by the paragraphs they share."""
    chosen = sorted(
        (e for e in dossier.entities if e.type in kinds),
        key=lambda e: (-len(e.mentions), entity_id(e)),
    )[:MAX_NODES]
    graph: nx.Graph[str] = nx.Graph()
    for entity in sorted(chosen, key=entity_id):
        graph.add_node(
            entity_id(entity),
            label=entity.name,
            type=entity.type,
            page=urls.entity_page(entity),
            mentions=len(entity.mentions),
        )
    members: dict[tuple[str, int], set[str]] = {}
    for entity in chosen:
        for mention in entity.mentions:
            members.setdefault((mention.article, mention.paragraph), set()).add(entity_id(entity))
    weights: Counter[tuple[str, str]] = Counter()
    for ids in members.values():
        ordered = sorted(ids)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                weights[a, b] += 1
    for (a, b), weight in sorted(strongest(weights)):
        graph.add_edge(a, b, weight=weight)
    return graph


def strongest(
    weights: Counter[tuple[str, str]], limit: int = MAX_EDGES
) -> list[tuple[tuple[str, str], int]]:
    """The `limit` heaviest pairs, ties broken by the pair's ids (deterministic)."""
    return sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:limit]


def layout(graph: nx.Graph[str]) -> dict[str, tuple[float, float]]:
    """Node positions in a WIDTH x HEIGHT box, rounded to a tenth of a pixel.

    Connected entities get a spring layout (fixed seed); entities that share no paragraph
    with any other are lined up along the bottom, so that they do not squeeze the rest.
    """
    alone = sorted(n for n in graph.nodes if graph.degree(n) == 0)
    linked = graph.subgraph(n for n in graph.nodes if graph.degree(n) > 0)
    bottom = HEIGHT - MARGIN if alone else HEIGHT - MARGIN / 2
    positions: dict[str, tuple[float, float]] = {}
    if linked.number_of_nodes():
        k = 3 / math.sqrt(linked.number_of_nodes())
        raw = nx.spring_layout(linked, k=k, seed=LAYOUT_SEED, weight="weight", iterations=300)
        xs = [float(p[0]) for p in raw.values()]
        ys = [float(p[1]) for p in raw.values()]
        span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
        height = bottom - MARGIN - (MARGIN if alone else 0)
        for node, (x, y) in raw.items():
            px = MARGIN + (float(x) - min(xs)) / span_x * (WIDTH - 2 * MARGIN)
            py = MARGIN + (float(y) - min(ys)) / span_y * height
            positions[node] = (round(px, 1), round(py, 1))
    step = (WIDTH - 2 * MARGIN) / max(len(alone), 1)
    for index, node in enumerate(alone):
        positions[node] = (round(MARGIN + step * (index + 0.5), 1), round(bottom, 1))
    return positions


def build_network(dossier: Dossier) -> Network:
    graph = cooccurrence_graph(dossier)
    positions = layout(graph)
    nodes = [node_of(graph, node, positions[node]) for node in sorted(graph.nodes)]
    edges = [edge(a, b, data["weight"]) for a, b, data in graph.edges(data=True)]
    edges.sort(key=lambda e: (e.source, e.target))
    return Network(nodes, edges)


def node_of(graph: nx.Graph[str], node: str, position: tuple[float, float]) -> Node:
    data = graph.nodes[node]
    x, y = position
    return Node(node, data["label"], data["type"], data["page"], data["mentions"], x, y)


def edge(a: str, b: str, weight: int) -> Edge:
    """The edge between two nodes, its ends in sorted order."""
    source, target = sorted((a, b))
    return Edge(source, target, weight)


def network_data(network: Network) -> dict[str, Any]:
    """What the interactive view needs, for `network/graph.js`."""
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "nodes": [
            {
                "id": n.id,
                "label": n.label,
                "type": n.type,
                "url": n.url,
                "mentions": n.mentions,
                "size": n.radius * 2,
                "x": n.x,
                "y": n.y,
            }
            for n in network.nodes
        ],
        "edges": [
            {"source": e.source, "target": e.target, "weight": e.weight} for e in network.edges
        ],
    }


def network_svg(network: Network, root: str, name: str = "Réseau des entités") -> str:
    """A static picture of the network (`name`: its accessible name); each node links to
    its page (`root` + url)."""
    by_id = {n.id: n for n in network.nodes}
    out = [
        f'<svg class="dossier-network-svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{html.escape(name)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for edge in network.edges:
        a, b = by_id[edge.source], by_id[edge.target]
        width = round(1 + math.log2(edge.weight), 2)
        out.append(
            f'<line x1="{a.x}" y1="{a.y}" x2="{b.x}" y2="{b.y}" stroke-width="{width}">'
            f"<title>{html.escape(a.label)} — {html.escape(b.label)} : {edge.weight}</title></line>"
        )
    for node in network.nodes:
        label = html.escape(node.label)
        out.append(
            f'<a href="{html.escape(root + node.url)}" class="node {node.type}" '
            f'data-id="{html.escape(node.id)}"><title>{label} ({node.mentions})</title>'
            f'<circle cx="{node.x}" cy="{node.y}" r="{node.radius}"/>'
            f'<text x="{node.x}" y="{round(node.y + node.radius + 12, 1)}">{label}</text></a>'
        )
    out.append("</svg>")
    return "\n".join(out)
