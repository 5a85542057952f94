"""Ingest: read article files into `Article` records.

Supported inputs: plain text (`.txt`), Markdown with optional YAML front matter
(`.md`, `.markdown`) and HTML (`.html`, `.htm`). Metadata that a file does not give
stays `None`: nothing is invented. Every file with something wrong gives one `Problem`
naming the file, what is wrong and what was done: either the file is skipped (binary,
empty, too long, a link out of the folder) or the article is kept and the problem says
how (encoding guessed, bad metadata ignored, long paragraphs split). The other files
are always read.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import yaml
from charset_normalizer import from_bytes
from slugify import slugify

from generator.records import KEPT, Article, Problem

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
METADATA_KEYS = ("title", "date", "outlet", "url", "language", "author")
TITLE_MAX_CHARS = 160
DERIVED_TITLE_CHARS = 90
# Limits, see README "Bad input". A news article is rarely over 50,000 characters; spaCy
# refuses texts over nlp.max_length (1,000,000) and needs about a minute per megabyte.
MAX_FILE_BYTES = 10_000_000  # larger files are not even read (HTML pages carry markup)
MAX_ARTICLE_CHARS = 200_000  # of article text, after parsing
MAX_PARAGRAPH_CHARS = 10_000  # longer paragraphs are split at sentence ends
DATE_RANGE = (dt.date(1600, 1, 1), dt.date(2199, 12, 31))
RESERVED_SLUGS = {"index"}  # `sources/index.md` is the sources index page


class ArticleError(ValueError):
    """An article file that cannot be turned into an Article."""


class Notes(list[str]):
    """What was wrong with an article that is kept, and what was done about it."""


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
        if path.suffix.lower() not in ARTICLE_SUFFIXES:
            continue
        shown = printable(str(path))
        if path.is_symlink() and not path.exists():
            result.problems.append(Problem(shown, "is a broken link"))
            continue
        if not path.is_file():
            continue
        if not path.resolve().is_relative_to(root):
            result.problems.append(
                Problem(shown, "is a link to a file outside the articles folder")
            )
            continue
        notes = Notes()
        try:
            article = read_article(path, slug_for(path, folder), notes)
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


def printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (surrogate escapes) become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def slug_for(path: Path, folder: Path) -> str:
    relative = printable(str(path.relative_to(folder).with_suffix("")))
    slug = slugify(relative.replace("/", "-"), max_length=100, word_boundary=True) or "article"
    return f"{slug}-article" if slug in RESERVED_SLUGS else slug


def read_article(path: Path, slug: str, notes: Notes | None = None) -> Article:
    """One article file; what is wrong but could be handled is added to `notes`."""
    notes = Notes() if notes is None else notes
    raw = read_text(path, notes)
    suffix = path.suffix.lower()
    if suffix in {".md", ".markdown"}:
        meta, body = split_front_matter(raw, notes)
        paragraphs = markdown_paragraphs(body)
    elif suffix in {".html", ".htm"}:
        meta, paragraphs = parse_html(raw)
    else:
        meta, paragraphs = {}, text_paragraphs(raw)
    meta = validate_metadata(meta, notes)
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


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (.docx, .odt, .epub...)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)
# Candidate legacy encodings, Western first: without this list charset-normalizer
# may read French cp1252 as cp1250 (`près` -> `prčs`).
LEGACY_ENCODINGS = ["cp1252", "iso8859_15", "mac_roman", "cp1256", "cp1251"]
ENCODING_NAMES = {
    "cp1252": "Windows-1252 (cp1252)",
    "latin_1": "ISO-8859-1 (Latin-1)",
    "iso8859_15": "ISO-8859-15 (Latin-9)",
    "mac_roman": "Mac Roman",
    "cp1256": "Windows-1256 (Arabic)",
    "cp1251": "Windows-1251 (Cyrillic)",
}


def read_text(path: Path, notes: Notes) -> str:
    """The text of a file with `\n` line ends; not UTF-8 is detected and noted."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ArticleError(
                f"is {size / 1e6:.1f} MB, over the limit of {MAX_FILE_BYTES / 1e6:.0f} MB "
                "per file (split it into several files)"
            )
        data = path.read_bytes()
    except OSError as error:
        raise ArticleError(f"cannot be read: {error.strerror or error}") from error
    text = decode(data, notes)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, notes: Notes) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as error:
                raise ArticleError(f"starts with a {codec} mark but is not {codec}") from error
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise ArticleError(f"is {kind}, not text (convert it to .txt, .md or .html)")
    if b"\x00" in data[:8192]:
        raise ArticleError("is a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error.start
    encoding = guess_encoding(data)
    if encoding is None:
        raise ArticleError(
            f"is not UTF-8 (invalid byte at offset {utf8_error}) nor text in a known encoding"
        )
    notes.append(f"is not UTF-8: read as {ENCODING_NAMES.get(encoding, encoding)}")
    return data.decode(encoding)


def guess_encoding(data: bytes) -> str | None:
    """The legacy encoding of a text, by charset-normalizer; None when it is no text."""
    best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        return None
    encoding = best.encoding
    if encoding not in {"cp1252", "iso8859_15", "mac_roman"} and not best.coherence:
        encoding = "cp1252"  # too short to tell: French first
    if encoding == "cp1252" and not any(0x80 <= b <= 0x9F for b in data):
        encoding = "latin_1"  # the same characters: say the simpler, standard name
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text: `validate_metadata` checks them itself
    (PyYAML turns `0000-01-01` into a crash rather than an error)."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(":timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split_front_matter(text: str, notes: Notes) -> tuple[dict, str]:
    """The front matter and the body; front matter that cannot be read is ignored."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    body = text[match.end() :]
    try:
        meta = yaml.load(match.group(1) or "", Loader=_FrontMatterLoader) or {}
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        notes.append(f"has malformed YAML front matter ({_one_line(error)}): metadata ignored")
        return {}, body
    if not isinstance(meta, dict):
        notes.append("has front matter that is not a mapping of keys to values: ignored")
        return {}, body
    return meta, body


def validate_metadata(meta: dict, notes: Notes | None = None) -> dict:
    """Keep the known keys with the right types; a wrong value is noted and left out."""
    notes = Notes() if notes is None else notes
    clean: dict = {}
    for key in METADATA_KEYS:
        value = meta.get(key)
        if value is None or value == "":
            continue
        if key == "date":
            try:
                clean[key] = parse_date(value)
            except ArticleError as error:
                notes.append(f"{error}: date left empty")
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            clean[key] = " ".join(str(value).split()) or None
        else:
            notes.append(f"front matter `{key}` must be text, not {type(value).__name__}: ignored")
    if clean.get("language"):
        clean["language"] = clean["language"].lower()[:2]
    return {k: v for k, v in clean.items() if v is not None}


def parse_date(value: object) -> dt.date:
    date = None
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif isinstance(value, str):
        try:
            date = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            date = None
    if date is None:
        shown = str(value)[:40]
        raise ArticleError(f"front matter `date` is not a date in YYYY-MM-DD form: {shown!r}")
    low, high = DATE_RANGE
    if not low <= date <= high:
        raise ArticleError(
            f"front matter `date` {date.isoformat()} is outside {low.year}–{high.year}"
        )
    return date


def text_paragraphs(text: str) -> list[str]:
    """In plain text every non-empty line is a paragraph (news exports use one line each)."""
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def markdown_paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks; the Markdown is kept as written, displayed as text."""
    blocks = re.split(r"\n\s*\n", text)
    return [" ".join(block.split()) for block in blocks if block.strip()]


_SENTENCE_END = re.compile(r"[.!?…»](?=\s)")


def split_long_paragraphs(paragraphs: list[str], notes: Notes) -> list[str]:
    """Cut paragraphs over MAX_PARAGRAPH_CHARS at sentence ends (else at a space), so
    that spaCy never sees a huge text and pages stay readable."""
    out: list[str] = []
    longest = 0
    for paragraph in paragraphs:
        if len(paragraph) <= MAX_PARAGRAPH_CHARS:
            out.append(paragraph)
            continue
        longest = max(longest, len(paragraph))
        out.extend(cut_paragraph(paragraph, MAX_PARAGRAPH_CHARS))
    if longest:
        notes.append(
            f"has a paragraph of {longest:,} characters: long paragraphs split into "
            f"parts of at most {MAX_PARAGRAPH_CHARS:,}"
        )
    return out


def cut_paragraph(text: str, limit: int) -> list[str]:
    parts = []
    while len(text) > limit:
        window = text[: limit + 1]
        ends = [m.end() for m in _SENTENCE_END.finditer(window)]
        cut = ends[-1] if ends and ends[-1] > limit // 2 else window.rfind(" ")
        if cut <= limit // 2:
            cut = limit
        parts.append(text[:cut].strip())
        text = text[cut:].strip()
    parts.append(text)
    return [p for p in parts if p]


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
            meta["date"] = parse_date(meta["date"])
        except ArticleError:
            meta["date"] = None  # scraped pages often carry odd dates: not worth a line
    return meta, parser.blocks


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


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())
