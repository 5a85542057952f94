"""The map and network pages, and the files they need, served by the site itself.

Nothing is loaded from a third party: Leaflet comes from the `xstatic-leaflet` package,
Cytoscape.js and the Natural Earth country outlines (`world-atlas`) are package data
(generator/static/vendor/, refreshed from npm by scripts/vendor-assets.sh: Node is a
maintainer's tool, never a user's); they are written into the content folder as
generated files (tracked by the manifest, rewritten only when they change) and MkDocs
copies them into the site. Only the pages that need them load them.

Map tiles are requests to a tile server, so they are off unless `map_tiles` is set in
mkdocs.yml's `extra:`; the country outlines are the offline base layer.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.records import Dossier, Page
from generator.site import urls
from generator.site.exports import coordinates_of, located_places
from generator.site.geo import load_outlines, unwrapped_longitudes
from generator.site.network import Network, build_network, network_data, network_svg
from generator.site.render import Renderer
from generator.site.script_words import script_words
from generator.site.timeline import timeline_data

OUTLINES = "world-atlas/countries-50m.json"
CYTOSCAPE = "cytoscape/cytoscape.min.js"
CLUSTERS = "leaflet.markercluster"

MAP_DATA = urls.MAP_DATA
COUNTRIES = "assets/dossier/countries.js"
NETWORK_DATA = urls.NETWORK_DATA
TIMELINE_DATA = urls.TIMELINE_DATA
VISUAL_CSS = "assets/dossier/visual.css"
DOSSIER_CSS = "assets/dossier/dossier.css"  # every page's: mkdocs.yml `extra_css`
# The pages load these files with the lists of site_templates/visual_assets.j2.


class AssetError(RuntimeError):
    """A vendored file is missing; the message says how to install it."""


@dataclass(frozen=True)
class MapOptions:
    tiles: str | None = None  # e.g. https://tiles.example.org/{z}/{x}/{y}.png
    attribution: str = ""

    @classmethod
    def from_extra(cls, extra: dict[str, Any]) -> MapOptions:
        tiles = extra.get("map_tiles")
        return cls(str(tiles) if tiles else None, str(extra.get("map_attribution") or ""))


# --- vendored files --------------------------------------------------------------------


def vendored(relative: str) -> Path:
    """A third-party file the package ships (generator/static/vendor/)."""
    path = Path(str(resources.files("generator").joinpath("static", "vendor", relative)))
    if not path.is_file():
        raise AssetError(f"{path} is missing: reinstall dossier (pip install dossier)")
    return path


def leaflet_file(name: str) -> Path:
    try:
        from xstatic.pkg import leaflet
    except ImportError as error:
        raise AssetError("xstatic-leaflet is not installed (pip install -e .)") from error
    return Path(leaflet.BASE_DIR) / name


def static_text(name: str) -> str:
    return resources.files("generator").joinpath("static", name).read_text(encoding="utf-8")


def js_assignment(name: str, data: object) -> str:
    """A script that sets `window.<name>`: loads from file:// too, unlike fetch()."""
    text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return f"window.{name} = {text};\n"


@functools.lru_cache(maxsize=2)
def countries_script(path: str, mtime_ns: int) -> str:
    """The outlines as a script (about a second to decode: done once per process)."""
    return js_assignment("dossierCountries", load_outlines(Path(path)))


def script_pages(words: str) -> list[Page]:
    """The site's scripts, each after the words it says (`window.dossierWords`)."""
    return [
        Page(f"assets/dossier/{name}", words + static_text(name))
        for name in ("map.js", "network.js", "timeline.js")
    ]


def vendored_pages() -> list[Page]:
    def read(path: Path) -> str:
        return path.read_text(encoding="utf-8")

    outlines = vendored(OUTLINES)
    return [
        Page("assets/vendor/leaflet/leaflet.js", read(leaflet_file("leaflet.js"))),
        Page("assets/vendor/leaflet/leaflet.css", read(leaflet_file("leaflet.css"))),
        *(
            Page(f"assets/vendor/{CLUSTERS}/{name}", read(vendored(f"{CLUSTERS}/{name}")))
            for name in ("leaflet.markercluster.js", "MarkerCluster.css", "LICENSE.txt")
        ),
        Page("assets/vendor/cytoscape/cytoscape.min.js", read(vendored(CYTOSCAPE))),
        Page("assets/vendor/cytoscape/LICENSE.txt", read(vendored("cytoscape/LICENSE.txt"))),
        Page("assets/vendor/world-atlas/LICENSE.txt", read(vendored("world-atlas/LICENSE.txt"))),
        Page(COUNTRIES, countries_script(str(outlines), outlines.stat().st_mtime_ns)),
        Page(DOSSIER_CSS, static_text("dossier.css")),
        Page(VISUAL_CSS, static_text("visual.css")),
    ]


# --- data and pages --------------------------------------------------------------------


def map_data(dossier: Dossier, options: MapOptions) -> dict[str, Any]:
    """The located places, their longitudes unwrapped (geo.unwrapped_longitudes) so that
    the map's initial view is the smallest box holding them all."""
    located = coordinates_of(located_places(dossier))
    longitudes = unwrapped_longitudes([lon for _, (_, lon) in located])
    places = [
        {
            "id": place.slug,
            "name": place.name,
            "url": urls.entity_url(place),
            "lat": lat,
            "lon": lon,
            "mentions": len(place.mentions),
        }
        for (place, (lat, _)), lon in zip(located, longitudes, strict=True)
    ]
    return {"tiles": options.tiles, "attribution": options.attribution, "places": places}


class VisualRenderer(Renderer):
    def map_page(self) -> Page:
        located = located_places(self.dossier)
        unlocated = sorted(
            (p for p in self.dossier.entities_of("place") if not p.coordinates),
            key=lambda p: (-len(p.mentions), p.name),
        )
        return self._render("map.md.j2", urls.MAP_INDEX, located=located, unlocated=unlocated)

    def network_page(self, network: Network) -> Page:
        path = urls.NETWORK_INDEX
        names = {n.id: n for n in network.nodes}
        strongest = sorted(network.edges, key=lambda e: (-e.weight, e.source, e.target))[:20]
        return self._render(
            "network.md.j2",
            path,
            network=network,
            nodes=names,
            strongest=strongest,
            svg=Markup(network_svg(network, urls.site_root(path), self._("Réseau des entités"))),
        )


def visual_pages(
    dossier: Dossier,
    templates: Path,
    site_title: str,
    options: MapOptions,
    language: str | None = None,
) -> list[Page]:
    """The map and network pages, their data and the timeline's, the words of their
    scripts, and the vendored files they load (the timeline page itself is rendered with
    the other event pages)."""
    renderer = VisualRenderer(dossier, templates, site_title, language=language)
    network = build_network(dossier)
    wording = renderer.wording
    words = js_assignment("dossierWords", script_words(wording.words))
    timeline = timeline_data(dossier.events, wording.event_title, wording.event_label)
    return [
        renderer.map_page(),
        renderer.network_page(network),
        Page(MAP_DATA, js_assignment("dossierMap", map_data(dossier, options))),
        Page(NETWORK_DATA, js_assignment("dossierNetwork", network_data(network))),
        Page(TIMELINE_DATA, js_assignment("dossierTimeline", timeline)),
        *script_pages(words),
        *vendored_pages(),
    ]
