"""Ingest: read article files into `Article` records.

Supported inputs: plain text (`.txt`), Markdown with optional YAML front matter
(`.md`, `.markdown`) and HTML (`.html`, `.htm`). Metadata that a file does not give
stays `None`: nothing is invented. Every file with something wrong gives one `Problem`
naming the file, what is wrong and what was done: either the file is skipped (binary,
empty, too long, a link out of the folder or leading nowhere, a FIFO, socket or device,
never opened) or the article is kept and the problem says how (encoding guessed, bad
metadata ignored, characters that are not text replaced, long paragraphs split). The
other files are always read.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.files import NotRegularFile, regular_file_size
from generator.ingest.decode import MAX_FILE_BYTES, read_text, replace_non_text
from generator.ingest.formats import (
    markdown_paragraphs,
    parse_html,
    split_front_matter,
    text_paragraphs,
)
from generator.ingest.metadata import validate_metadata
from generator.ingest.paragraphs import split_long_paragraphs, title_from_text
from generator.ingest.problems import ArticleError, Notes
from generator.records import KEPT, Article, Problem
from generator.text import make_slug

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
# Limits, see README "Bad input". A news article is rarely over 50,000 characters; spaCy
# refuses texts over nlp.max_length (1,000,000) and needs about a minute per megabyte.
# The others: MAX_FILE_BYTES (ingest/decode.py), MAX_PARAGRAPH_CHARS (ingest/paragraphs.py).
MAX_ARTICLE_CHARS = 200_000  # of article text, after parsing
RESERVED_SLUGS = {"index"}  # `sources/index.md` is the sources index page


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_articles(folder: Path, max_bytes: int = MAX_FILE_BYTES) -> IngestResult:
    """Read every article file in `folder` (recursively), in a stable order; files over
    `max_bytes` are skipped."""
    result = IngestResult()
    if not folder.is_dir():
        raise FileNotFoundError(f"articles folder not found: {folder}")
    root = folder.resolve()
    by_hash: dict[str, int] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in ARTICLE_SUFFIXES or path.is_dir():
            continue
        shown = printable(str(path))
        problem = not_an_article_file(path, root)
        if problem is not None:
            result.problems.append(Problem(shown, problem))
            continue
        notes = Notes()
        try:
            article = read_article(path, slug_for(path, folder), notes, max_bytes)
        except ArticleError as error:
            result.problems.append(Problem(shown, str(error)))
            continue
        if notes:
            result.problems.append(Problem(shown, "; ".join(notes), KEPT))
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


def not_an_article_file(path: Path, root: Path) -> str | None:
    """Why a path named like an article is not read (a FIFO, a socket, a device, a broken
    or looping link, a link out of the folder), or None: it is a file to read."""
    try:
        regular_file_size(path)
    except NotRegularFile as error:
        return str(error)
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if not path.resolve().is_relative_to(root):
        return "is a link to a file outside the articles folder"
    return None


def printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (surrogate escapes) become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def slug_for(path: Path, folder: Path) -> str:
    """The article's slug, from its file name; a name with no letter or digit to keep
    (`🔥.txt`) gets one from the hash of its bytes, the same whatever the locale and the
    other files (a counter, `article-2`, would pass from one file to another)."""
    relative = path.relative_to(folder).with_suffix("")
    slug = make_slug(printable(str(relative)).replace("/", "-"), max_length=100, word_boundary=True)
    if not slug:
        slug = f"article-{hashlib.sha256(os.fsencode(relative)).hexdigest()[:8]}"
    return f"{slug}-article" if slug in RESERVED_SLUGS else slug


def read_article(
    path: Path, slug: str, notes: Notes | None = None, max_bytes: int = MAX_FILE_BYTES
) -> Article:
    """One article file; what is wrong but could be handled is added to `notes`."""
    notes = Notes() if notes is None else notes
    raw = replace_non_text(read_text(path, notes, max_bytes), "has", notes)
    suffix = path.suffix.lower()
    given: Mapping[str, object]
    if suffix in {".md", ".markdown"}:
        given, body = split_front_matter(raw, notes)
        paragraphs = markdown_paragraphs(body)
    elif suffix in {".html", ".htm"}:
        given, paragraphs = parse_html(raw)
    else:
        given, paragraphs = {}, text_paragraphs(raw)
    meta = validate_metadata(given, notes)
    if not paragraphs:
        raise ArticleError("has no text")
    length = sum(len(p) for p in paragraphs)
    if length > MAX_ARTICLE_CHARS:
        raise ArticleError(
            f"has {length:,} characters of text, over the limit of {MAX_ARTICLE_CHARS:,} "
            "per article (split it into several files)"
        )
    paragraphs = split_long_paragraphs(paragraphs, notes)
    title, derived = meta.get("title"), False
    if title is None:
        title, paragraphs, derived = title_from_text(paragraphs)
    if not paragraphs:
        paragraphs = [title]
    text = "\n\n".join(paragraphs)
    return Article(
        slug=slug,
        filename=printable(path.name),
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


def _with_alias(article: Article, filename: str) -> Article:
    return replace(article, aliases=(*article.aliases, filename))


def _deduplicate_slugs(articles: list[Article]) -> None:
    """`a.txt` and `a.md` would share a page: the later one gets the first free `-2`, `-3`."""
    taken = {a.slug for a in articles}
    seen: set[str] = set()
    for i, article in enumerate(articles):
        slug, count = article.slug, 1
        while slug in seen:
            count += 1
            slug = f"{article.slug}-{count}"
            if slug in taken and slug != article.slug:
                continue
        seen.add(slug)
        if slug != article.slug:
            articles[i] = replace(article, slug=slug)
