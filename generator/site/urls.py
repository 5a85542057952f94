"""URLs: every page path, id and URL of the site, made here and nowhere else.

Modelled on MkDocs' `mkdocs/structure/files.py`, where a `File` derives its `src_uri`
(the Markdown file in the content folder), its `dest_uri` (the HTML file in the site)
and its `url` once:

- a *page path* is the file in the content folder: `people/ali-maqsood.md`, written by
  `entity_page`, `source_page`, `event_page`, `section_index`... It is what the Markdown
  pages link to (`relative_link`), since MkDocs resolves links between content files;
- an *id* is a page path without `.md` (`people/ali-maqsood`): the stable id of an
  entity, a source or an event in the data exports (`entity_id`, `source_id`...);
- `dest_uri` and `page_url` follow MkDocs with `use_directory_urls` on: `people/x.md`
  is written as `people/x/index.html` and served as `people/x/`; an `index.md` stays in
  its folder; other files keep their path. URLs are relative to the site root.
"""

from __future__ import annotations

import functools
import posixpath
import re

from generator.records import Entity, Event, Mention

# The key of a page of a list split by year: (2017, None) a year's page, (2017, 3) a busy
# year's month's, (None, None) the undated records'.
Period = tuple[int | None, int | None]

SECTIONS = {"person": "people", "place": "places", "organisation": "organisations"}
SOURCES = "sources"
EVENTS = "events"
TIMELINE = "timeline"
EXPORTS = "exports"
MARKDOWN = ".md"
INDEX = "index.md"

HOME = INDEX
SOURCES_INDEX = f"{SOURCES}/{INDEX}"
TIMELINE_INDEX = f"{TIMELINE}/{INDEX}"
MAP_INDEX = f"map/{INDEX}"
NETWORK_INDEX = f"network/{INDEX}"

# The data files beside the pages (see exports.py and timeline.py).
DOSSIER_JSON = f"{EXPORTS}/dossier.json"
ENTITIES_CSV = f"{EXPORTS}/entities.csv"
PLACES_GEOJSON = f"{EXPORTS}/places.geojson"
FTM_JSON = f"{EXPORTS}/dossier.ftm.json"
TIMELINE_JSON = f"{TIMELINE}/timeline.json"
TIMELINE_ICS = f"{TIMELINE}/timeline.ics"
# The data of the map and network pages, as scripts (see visual.py).
MAP_DATA = "assets/dossier/map-data.js"
NETWORK_DATA = "assets/dossier/network-data.js"
TIMELINE_DATA = "assets/dossier/timeline-data.js"


# --- ids: the ids of the exports, page paths without `.md` ----------------------------


def entity_id(entity: Entity) -> str:
    """`people/ali-maqsood`: the entity's id in every export."""
    return f"{SECTIONS[entity.type]}/{entity.slug}"


def source_id(slug: str) -> str:
    """`sources/<slug>`: a source's id in every export."""
    return f"{SOURCES}/{slug}"


def event_id(event: Event) -> str:
    return f"{EVENTS}/{event.slug}"


def mention_id(mention: Mention) -> str:
    """A mention's id: its source, paragraph anchor and offsets (`<slug>/p2/10-24`)."""
    anchor = paragraph_anchor(mention.paragraph)
    return f"{mention.article}/{anchor}/{mention.start}-{mention.end}"


# --- page paths: the files of the content folder --------------------------------------


def entity_page(entity: Entity) -> str:
    """Path of an entity page inside the content folder, e.g. `people/ali-maqsood.md`."""
    return entity_id(entity) + MARKDOWN


def entity_folder(entity: Entity) -> str:
    """The folder of an entity's other pages, those of its mentions: `people/ali-maqsood/`
    (a slug has no `/`, so no other entity's page can be in it)."""
    return f"{entity_id(entity)}/"


def entity_mentions_page(entity: Entity) -> str:
    """Every mention of an entity, the page its own page links to when it shows only some:
    `people/ali-maqsood/mentions.md` (served under the entity's URL, `people/ali-maqsood/
    mentions/`)."""
    return f"{entity_folder(entity)}mentions{MARKDOWN}"


def entity_mentions_period_page(entity: Entity, period: Period) -> str:
    """The mentions of an entity in one period's articles, when its "all mentions" page
    is split by year (`people/ali-maqsood/mentions/2017.md`, a busy year's months
    `.../mentions/2017-03.md`; undated articles: `.../mentions/undated.md`)."""
    return f"{entity_folder(entity)}mentions/{period_name(period)}{MARKDOWN}"


def period_name(period: Period) -> str:
    """The file name of a year's page (`2017`), a month's (`2017-03`), or the undated
    records' (`undated`)."""
    year, month = period
    if year is None:
        return "undated"
    return str(year) if month is None else f"{year}-{month:02d}"


def source_page(slug: str) -> str:
    """`sources/<slug>.md`, the page of the article with that slug."""
    return source_id(slug) + MARKDOWN


def event_page(event: Event) -> str:
    return event_id(event) + MARKDOWN


def section_index(kind: str) -> str:
    """The index of an entity type's section: `people/index.md`."""
    return f"{SECTIONS[kind]}/{INDEX}"


def timeline_period_page(period: Period) -> str:
    """The events of one period (`timeline/2017.md`, `timeline/2017-03.md`; undated:
    `timeline/undated.md`), when the timeline is split by year."""
    return f"{TIMELINE}/{period_name(period)}{MARKDOWN}"


def sources_period_page(period: Period) -> str:
    """The sources of one period (`sources/years/2017.md`, `sources/years/2017-03.md`;
    undated: `sources/years/undated.md`), when the sources' index is split by year: in a
    folder of its own, as a year is a possible article slug."""
    return f"{SOURCES}/years/{period_name(period)}{MARKDOWN}"


def paragraph_anchor(index: int) -> str:
    """The anchor of a source's paragraph (0-based index): `p1` for the first."""
    return f"p{index + 1}"


def paragraph_page(slug: str, index: int) -> str:
    """The page path of a source's paragraph (0-based index), for `relative_link`."""
    return f"{source_page(slug)}#{paragraph_anchor(index)}"


# --- from page paths to the site's files and URLs --------------------------------------


def dest_uri(page: str) -> str:
    """The file MkDocs writes for a content file: `people/x.md` -> `people/x/index.html`,
    `people/index.md` -> `people/index.html`; other files are copied as they are."""
    if not page.endswith(MARKDOWN):
        return page
    stem = page.removesuffix(MARKDOWN)
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def page_url(target: str) -> str:
    """The URL of a page path from the site root, its `#anchor` kept: `people/x.md` ->
    `people/x/`, `sources/a.md#p2` -> `sources/a/#p2`, `index.md` -> `./`."""
    path, hash_sign, anchor = target.partition("#")
    url = dest_uri(path)
    if url == "index.html":
        url = "./"
    elif url.endswith("/index.html"):
        url = url.removesuffix("index.html")
    return url + hash_sign + anchor


_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_PATH_END = re.compile(r"[?#]|$")


def offline_url(url: str) -> str:
    """The URL of a site opened from its files (`dossier build --offline`), where a
    folder shows as a listing: a folder's URL names its index.html (`people/x/#p2` ->
    `people/x/index.html#p2`, `..` -> `../index.html`); a file's URL, an anchor and
    another site's URL are left as they are."""
    if url.startswith(("/", "#")) or _SCHEME.match(url):
        return url
    end = _PATH_END.search(url)
    assert end is not None  # `$` always matches
    path, rest = url[: end.start()], url[end.start() :]
    if path.endswith("/"):
        return f"{path}index.html{rest}"
    if path.split("/")[-1] in (".", ".."):
        return f"{path}/index.html{rest}"
    return url


PREVIEW_TWIN = "preview.js"  # an offline page's preview, beside it (see preview_twins.py)


def preview_twin(url: str) -> str:
    """The file of a page's preview in an offline site, from the page's URL:
    `people/x/` -> `people/x/preview.js`."""
    return posixpath.join(url.removesuffix("index.html"), PREVIEW_TWIN)


def entity_url(entity: Entity) -> str:
    """Site URL of the entity page, relative to the site root (`people/ali-maqsood/`)."""
    return page_url(entity_page(entity))


def source_url(slug: str) -> str:
    return page_url(source_page(slug))


def event_url(event: Event) -> str:
    return page_url(event_page(event))


def paragraph_url(slug: str, index: int) -> str:
    """`sources/<slug>/#p3`: a source's paragraph (0-based index) from the site root."""
    return page_url(paragraph_page(slug, index))


# --- links between pages ---------------------------------------------------------------


@functools.lru_cache(maxsize=65536)  # the same few pairs, often
def _relpath(path: str, start: str) -> str:
    """`posixpath.relpath` for the content's own paths (relative, normalised), without
    its `abspath` of both (a call to `os.getcwd` each: 1.2 s of CPU when one article
    was added to 10,000)."""
    parts, base = path.split("/"), [] if start == "." else start.split("/")
    common = 0
    while common < min(len(parts), len(base)) and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


def relative_link(target: str, from_page: str) -> str:
    """Markdown link target from one content page to another (`../sources/x.md#p2`)."""
    path, _, anchor = target.partition("#")
    link = _relpath(path, posixpath.dirname(from_page) or ".")
    return f"{link}#{anchor}" if anchor else link


def site_root(page: str) -> str:
    """URL of the site root seen from a page (`../../` from `people/x.md`, which MkDocs
    serves as `people/x/`); `use_directory_urls` is on."""
    return "../" * dest_uri(page).count("/")
