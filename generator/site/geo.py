"""Geography for the map: TopoJSON country outlines decoded into GeoJSON, at build time.

The outlines are Natural Earth's, as packaged by npm's `world-atlas` (TopoJSON: shared,
delta-encoded, quantised arcs). Decoding is the TopoJSON specification's own algorithm:
undo the delta encoding, apply the transform, stitch each ring from its arcs (a negative
index `~i` is arc `i` reversed) without repeating the point two arcs share.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

COORDINATE_DIGITS = 2  # about 1 km: as fine as the 1:50 000 000 outlines themselves


class TopologyError(RuntimeError):
    """A TopoJSON file this decoder cannot read; the message names the file."""


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy, *_ in arc:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(px, py) for px, py, *_ in arc]
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    rounded: list[list[float]] = []
    for x, y in points:
        point = [round(x, COORDINATE_DIGITS), round(y, COORDINATE_DIGITS)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    return rounded


def geometry(shape: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> dict[str, Any] | None:
    kind = shape.get("type")
    if kind == "Polygon":
        return {"type": kind, "coordinates": [ring(r, arcs) for r in shape["arcs"]]}
    if kind == "MultiPolygon":
        polygons = [[ring(r, arcs) for r in polygon] for polygon in shape["arcs"]]
        return {"type": kind, "coordinates": polygons}
    return None  # points and lines are not outlines


def topology_to_geojson(topology: dict[str, Any], name: str) -> dict[str, Any]:
    """One object of a topology (e.g. `countries`) as a GeoJSON FeatureCollection."""
    if topology.get("type") != "Topology" or name not in topology.get("objects", {}):
        raise TopologyError(f"not a TopoJSON topology with an object {name!r}")
    arcs = decode_arcs(topology)
    features = []
    for shape in topology["objects"][name].get("geometries", []):
        shape_geometry = geometry(shape, arcs)
        if shape_geometry is None:
            continue
        properties = {"name": (shape.get("properties") or {}).get("name")}
        features.append({"type": "Feature", "properties": properties, "geometry": shape_geometry})
    return {"type": "FeatureCollection", "features": features}


def load_outlines(path: Path, name: str = "countries") -> dict[str, Any]:
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
        return topology_to_geojson(topology, name)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
        raise TopologyError(f"{path}: cannot read the country outlines ({error})") from error


def unwrapped_longitudes(longitudes: list[float]) -> list[float]:
    """The longitudes, those west of the widest empty arc of the circle moved by +360°.

    A map fits a box: places on both sides of the antimeridian (Fiji at 178°, Samoa at
    -172°) would span the whole world, but as 178° and 188° they are 10° apart. When the
    widest gap between places already crosses ±180° nothing moves.
    """
    if len(longitudes) < 2:
        return list(longitudes)
    ordered = sorted(set(longitudes))
    gaps = [(b - a, a) for a, b in itertools.pairwise(ordered)]
    widest, west_edge = max(gaps)
    if widest <= ordered[0] + 360 - ordered[-1]:
        return list(longitudes)
    return [lon + 360 if lon <= west_edge else lon for lon in longitudes]
