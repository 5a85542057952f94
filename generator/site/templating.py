"""Templating: the Jinja environment of `site_templates/`, with its filters and globals.

Article text is data, never markup. The environment escapes every `{{ value }}` for
Markdown *and* HTML (see `escape.md_escape`) unless the value is `Markup`, which only
the site modules create, for links and anchors they build themselves. So a template
cannot forget to escape, and `<script>`, `[x](javascript:...)` or `{{ }}` in an article
are shown as text.

Templates name pages with the functions of `urls` (the global `urls`); `entity_path`
is `urls.entity_page` under its former name.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator.site import urls
from generator.site.escape import md_escape
from generator.site.wording import count, event_date, french_date, mention_date

PAGE_TITLE_CHARS = 120
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: 10× faster
_SAFE_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+\Z")


def _finalize(value: object) -> object:
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    return md_escape(value)


def make_environment(templates: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=False,
        finalize=_finalize,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = french_date
    env.filters["front_matter"] = front_matter
    env.filters["event_date"] = event_date
    env.filters["mention_date"] = mention_date
    env.filters["count"] = count  # `{{ n | count("article") }}`: 1 article, 2 articles
    env.globals["external_link"] = external_link
    env.globals["site_root"] = site_root
    env.globals["asset_tags"] = asset_tags
    env.globals["urls"] = urls
    env.globals["entity_path"] = urls.entity_page
    return env


def external_link(url: str) -> Markup:
    """A link to a reference (Wikidata, Wikipedia...); anything but plain http(s) is text."""
    if not _SAFE_URL.match(url):
        return Markup(md_escape(url))
    return Markup(f"[{md_escape(url)}](<{html.escape(url)}>)")


def front_matter(values: dict[str, Any]) -> Markup:
    """YAML front matter; the title is HTML-escaped because themes print it unescaped."""
    values = dict(values)
    if "title" in values:
        values["title"] = html.escape(short_title(values["title"]), quote=False)
    text = yaml.dump(values, Dumper=_DUMPER, allow_unicode=True, sort_keys=True, width=1000)
    return Markup(f"---\n{text}---\n")


def short_title(title: str) -> str:
    title = " ".join(title.split())
    if len(title) <= PAGE_TITLE_CHARS:
        return title
    return title[:PAGE_TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def site_root(page_path: str) -> Markup:
    """URL of the site root seen from a page, as markup (see `urls.site_root`)."""
    return Markup(urls.site_root(page_path))


def asset_tags(page_path: str, *assets: str) -> Markup:
    """`<link>` and `<script>` tags for assets of this site (paths from the site root), for
    the pages that need them only."""
    root = site_root(page_path)
    tags = [
        f'<link rel="stylesheet" href="{root}{html.escape(a)}">'
        if a.endswith(".css")
        else f'<script src="{root}{html.escape(a)}"></script>'
        for a in assets
    ]
    return Markup("\n".join(tags))
