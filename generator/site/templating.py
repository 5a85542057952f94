"""Templating: the Jinja environment of `site_templates/`, with its filters and globals.

Article text is data, never markup. The environment escapes every `{{ value }}` for
Markdown *and* HTML (see `escape.md_escape`) unless the value is `Markup`, which only
the site modules create, for links and anchors they build themselves. So a template
cannot forget to escape, and `<script>`, `[x](javascript:...)` or `{{ }}` in an article
are shown as text.

Templates name pages with the functions of `urls` (the global `urls`); `entity_path`
is `urls.entity_page` under its former name.

Their words are in French, marked for the catalog (`jinja2.ext.i18n`): `_("Chronologie")`,
`ngettext("%(num)s article", "%(num)s articles", n)`, printed in the dossier's language
(`i18n`). A translated word is markup (the catalog is ours); the values put into it are
escaped like any other.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import Any

import yaml
from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
)
from markupsafe import Markup

from generator.site import urls
from generator.site.escape import md_escape
from generator.site.i18n import SOURCE_LANGUAGE, Words, words
from generator.site.wording import Wording

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


@functools.cache
def compiled_templates() -> BytecodeCache:
    """Jinja's cache of compiled templates, shared by every build of this user (in the
    temporary folder, which Jinja makes private to the user): compiling the templates,
    ours and the theme's, took a second of every build. A template's entry is used only
    while its source has the checksum it was compiled from; its file names are dossier's
    own, as the options it is compiled with (other tools' files end in `.cache` too)."""
    return FileSystemBytecodeCache(pattern="dossier-%s.jinja")


def make_environment(templates: Path, wording: Wording | None = None) -> Environment:
    wording = wording or Wording(words(SOURCE_LANGUAGE))
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        bytecode_cache=compiled_templates(),
        extensions=["jinja2.ext.i18n"],
        autoescape=False,
        finalize=_finalize,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install_words(env, wording.words)
    env.filters["date"] = wording.date
    env.filters["front_matter"] = front_matter
    env.filters["event_date"] = wording.event_date
    env.filters["date_range"] = wording.date_range
    env.filters["event_title"] = wording.event_title
    env.filters["event_label"] = wording.event_label
    env.filters["mention_date"] = wording.mention_date
    env.globals["external_link"] = external_link
    env.globals["site_root"] = site_root
    env.globals["asset_tags"] = asset_tags
    env.globals["urls"] = urls
    env.globals["entity_path"] = urls.entity_page
    return env


def install_words(env: Environment, words: Words) -> None:
    """The templates' `_` (and `gettext`) and `ngettext`, in `words`' language."""

    def gettext(msgid: str, **values: object) -> Markup:
        return translated(words.catalog.gettext(msgid), values)

    def ngettext(singular: str, plural: str, n: int, **values: object) -> Markup:
        values.setdefault("num", words.number(n))
        return translated(words.catalog.ngettext(singular, plural, n), values)

    env.install_gettext_callables(gettext, ngettext, newstyle=False)  # type: ignore[attr-defined]
    env.globals["plain_"] = words._  # text that who prints it escapes: a link's text


def translated(text: str, values: dict[str, object]) -> Markup:
    """A word of the catalog as markup, its values escaped (unless markup already)."""
    escaped = {k: v if isinstance(v, Markup) else Markup(md_escape(v)) for k, v in values.items()}
    return Markup(text) % escaped if escaped else Markup(text)


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
