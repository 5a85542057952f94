"""Ingest: read article files into `Article` records.

Supported inputs: plain text (`.txt`), Markdown with optional YAML front matter
(`.md`, `.markdown`) and HTML (`.html`, `.htm`). Metadata that a file does not give
stays `None`: nothing is invented. A file that cannot be read becomes a `Problem`
naming the file, what is wrong and what was done; the other files are still read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import yaml
from slugify import slugify

from generator.text import normalise_typography

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
METADATA_KEYS = ("title", "date", "outlet", "url", "language", "author")
TITLE_MAX_CHARS = 160
DERIVED_TITLE_CHARS = 90


@dataclass(frozen=True)
class Article:
    slug: str
    filename: str
    title: str
    title_derived: bool
    date: dt.date | None
    outlet: str | None
    url: str | None
    language: str | None
    author: str | None
    paragraphs: tuple[str, ...]
    sha256: str
    aliases: tuple[str, ...] = ()  # other filenames with the same text

    @property
    def normalised_paragraphs(self) -> tuple[str, ...]:
        return tuple(normalise_typography(p) for p in self.paragraphs)


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    action: str = "skipped"

    def __str__(self) -> str:
        return f"{self.path}: {self.message} ({self.action})"


class ArticleError(ValueError):
    """An article file that cannot be turned into an Article."""


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_articles(folder: Path) -> IngestResult:
    """Read every article file in `folder` (recursively), in a stable order."""
    result = IngestResult()
    if not folder.is_dir():
        raise FileNotFoundError(f"articles folder not found: {folder}")
    root = folder.resolve()
    by_hash: dict[str, int] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in ARTICLE_SUFFIXES:
            continue
        shown = str(path)
        if not path.resolve().is_relative_to(root):
            result.problems.append(
                Problem(shown, "is a link to a file outside the articles folder")
            )
            continue
        try:
            article = read_article(path, slug_for(path, folder))
        except ArticleError as error:
            result.problems.append(Problem(shown, str(error)))
            continue
        if article.sha256 in by_hash:
            index = by_hash[article.sha256]
            first = result.articles[index]
            result.articles[index] = _with_alias(first, article.filename)
            result.problems.append(
                Problem(shown, f"same text as {first.filename}", "recorded as one source")
            )
            continue
        by_hash[article.sha256] = len(result.articles)
        result.articles.append(article)
    _deduplicate_slugs(result.articles)
    return result


def slug_for(path: Path, folder: Path) -> str:
    relative = path.relative_to(folder).with_suffix("")
    return slugify(str(relative).replace("/", "-")) or "article"


def read_article(path: Path, slug: str) -> Article:
    raw = _read_text(path)
    suffix = path.suffix.lower()
    if suffix in {".md", ".markdown"}:
        meta, body = split_front_matter(raw)
        paragraphs = markdown_paragraphs(body)
    elif suffix in {".html", ".htm"}:
        meta, paragraphs = parse_html(raw)
    else:
        meta, paragraphs = {}, text_paragraphs(raw)
    meta = validate_metadata(meta)
    if not paragraphs:
        raise ArticleError("has no text")
    title, derived = meta.get("title"), False
    if title is None:
        title, paragraphs, derived = title_from_text(paragraphs)
    if not paragraphs:
        paragraphs = [title]
    text = "\n\n".join(paragraphs)
    return Article(
        slug=slug,
        filename=path.name,
        title=title,
        title_derived=derived,
        date=meta.get("date"),
        outlet=meta.get("outlet"),
        url=meta.get("url"),
        language=meta.get("language"),
        author=meta.get("author"),
        paragraphs=tuple(paragraphs),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise ArticleError("is a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleError(f"is not valid UTF-8 (byte {error.start})") from error
    return text.replace("\r\n", "\n").replace("\r", "\n")


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as error:
        raise ArticleError(f"has malformed YAML front matter: {_one_line(error)}") from error
    if not isinstance(meta, dict):
        raise ArticleError("has front matter that is not a mapping of keys to values")
    return meta, text[match.end() :]


def validate_metadata(meta: dict) -> dict:
    """Keep the known keys, with the right types; a wrong type is an error, not a guess."""
    clean: dict = {}
    for key in METADATA_KEYS:
        value = meta.get(key)
        if value is None or value == "":
            continue
        if key == "date":
            clean[key] = _parse_date(value)
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            clean[key] = " ".join(str(value).split())
        else:
            raise ArticleError(f"front matter `{key}` must be text, not {type(value).__name__}")
    if "language" in clean:
        clean["language"] = clean["language"].lower()[:2]
    return clean


def _parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ArticleError(f"front matter `date` is not a date in YYYY-MM-DD form: {value!r}")


def text_paragraphs(text: str) -> list[str]:
    """In plain text every non-empty line is a paragraph (news exports use one line each)."""
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def markdown_paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks; the Markdown is kept as written, displayed as text."""
    blocks = re.split(r"\n\s*\n", text)
    return [" ".join(block.split()) for block in blocks if block.strip()]


def title_from_text(paragraphs: list[str]) -> tuple[str, list[str], bool]:
    """The first line is the title when it reads like one: short and no final period."""
    first = paragraphs[0]
    if len(first) <= TITLE_MAX_CHARS and not first.rstrip().endswith((".", "!", "?", ":", "»")):
        return first, paragraphs[1:], False
    return derive_title(first), paragraphs, True


def derive_title(text: str) -> str:
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(sentence) <= DERIVED_TITLE_CHARS:
        return sentence.rstrip(".")
    cut = sentence[:DERIVED_TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


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


def parse_html(text: str) -> tuple[dict, list[str]]:
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
            meta["date"] = _parse_date(meta["date"])
        except ArticleError:
            meta["date"] = None
    return meta, parser.blocks


def _with_alias(article: Article, filename: str) -> Article:
    return replace(article, aliases=(*article.aliases, filename))


def _deduplicate_slugs(articles: list[Article]) -> None:
    seen: dict[str, int] = {}
    for i, article in enumerate(articles):
        count = seen.get(article.slug, 0)
        seen[article.slug] = count + 1
        if count:
            articles[i] = replace(article, slug=f"{article.slug}-{count + 1}")


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())
