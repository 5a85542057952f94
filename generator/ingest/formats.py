"""Ingest, file formats: metadata and paragraphs of plain text, Markdown and HTML.

Plain text: one paragraph per line. Markdown: optional YAML front matter, then
blank-line separated blocks kept as written. HTML: title and meta tags, then the text
of block elements (scripts, styles, navigation and footers left out).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any, ClassVar

import yaml

from generator.ingest.metadata import parse_date
from generator.ingest.problems import ArticleError, Notes

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def _leaving_dates_as_text(loader: type) -> type:
    """Safe YAML that leaves dates as text: `validate_metadata` checks them itself
    (PyYAML turns `0000-01-01` into a crash rather than an error)."""
    resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(":timestamp")]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return type(f"FrontMatter{loader.__name__}", (loader,), {"yaml_implicit_resolvers": resolvers})


_FrontMatterLoader = _leaving_dates_as_text(yaml.SafeLoader)
# libyaml's parser, where PyYAML was built with it (its wheels are): reading 10,000
# articles' front matter in Python takes seconds of every build. What it refuses is read
# again by PyYAML's own, which says what is wrong and takes what libyaml does not (a
# `\ud800` escape: an unpaired surrogate, replaced later with a note).
_FastFrontMatterLoader = _leaving_dates_as_text(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _front_matter(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_FastFrontMatterLoader)
    except (yaml.YAMLError, ValueError, RecursionError):
        return yaml.load(text, Loader=_FrontMatterLoader)


def split_front_matter(text: str, notes: Notes) -> tuple[dict[str, Any], str]:
    """The front matter and the body; front matter that cannot be read is ignored."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    body = text[match.end() :]
    try:
        meta = _front_matter(match.group(1) or "") or {}
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        notes.append(f"has malformed YAML front matter ({_one_line(error)}): metadata ignored")
        return {}, body
    if not isinstance(meta, dict):
        notes.append("has front matter that is not a mapping of keys to values: ignored")
        return {}, body
    return meta, body


def text_paragraphs(text: str) -> list[str]:
    """In plain text every non-empty line is a paragraph (news exports use one line each)."""
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def markdown_paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks; the Markdown is kept as written, displayed as text."""
    blocks = re.split(r"\n\s*\n", text)
    return [" ".join(block.split()) for block in blocks if block.strip()]


class _HTMLText(HTMLParser):
    """Collect the title, meta tags and block texts of an HTML page; scripts are ignored."""

    BLOCKS: ClassVar[set[str]] = {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "li",
        "blockquote",
        "div",
        "br",
        "tr",
    }
    SKIPPED: ClassVar[set[str]] = {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "nav",
        "footer",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._skip = 0
        self._in_title = False
        self._title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            values = dict(attrs)
            name = (values.get("name") or values.get("property") or "").lower()
            if values.get("content"):
                self.meta[name] = values["content"] or ""
        if tag in self.SKIPPED and tag != "head":
            self._skip += 1
        if tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self.SKIPPED and tag != "head" and self._skip:
            self._skip -= 1
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        elif not self._skip:
            self._current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []

    def close(self) -> None:
        super().close()
        self._flush()

    @property
    def title(self) -> str:
        return " ".join("".join(self._title).split())


def parse_html(text: str) -> tuple[dict[str, object], list[str]]:
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    meta: dict[str, object] = {
        "title": parser.meta.get("og:title") or parser.title or None,
        "date": (parser.meta.get("article:published_time") or parser.meta.get("date") or None),
        "outlet": parser.meta.get("og:site_name"),
        "url": parser.meta.get("og:url"),
        "author": parser.meta.get("author"),
        "language": None,
    }
    if meta["date"]:
        try:
            meta["date"] = parse_date(meta["date"])
        except ArticleError:
            meta["date"] = None  # scraped pages often carry odd dates: not worth a line
    return meta, parser.blocks


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())
