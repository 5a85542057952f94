"""Settings of one dossier build: where things are, which model, how strict."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.nlp.extract import DEFAULT_MODEL
from generator.nlp.languages import DEFAULT_ENGLISH_MODEL, DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Settings:
    root: Path = field(default_factory=Path.cwd)
    articles: Path = Path("seeds")
    content: Path = Path("content")
    site: Path = Path("site")
    mkdocs_config: Path = Path("mkdocs.yml")
    templates: Path = Path("site_templates")
    corrections: Path | None = None  # default: corrections.yml in the articles folder
    model: str = DEFAULT_MODEL  # French
    english_model: str = DEFAULT_ENGLISH_MODEL  # optional: see languages.py
    default_language: str = DEFAULT_LANGUAGE  # of articles too short to detect
    strict: bool = False
    cache: Path | None = Path(".dossier-cache")  # extraction cache; None: always extract
    jobs: int = 2  # spaCy worker processes for large dossiers
    search_text: str = "auto"  # sources in the search index: full, lead, auto (by size)
    search_full_text_below: int = 1000  # auto: full text for dossiers smaller than this

    @property
    def models(self) -> dict[str, str]:
        """The spaCy pipeline asked for each supported language."""
        return {"fr": self.model, "en": self.english_model}

    def path(self, value: Path) -> Path:
        return value if value.is_absolute() else self.root / value

    @property
    def articles_dir(self) -> Path:
        return self.path(self.articles)

    @property
    def content_dir(self) -> Path:
        return self.path(self.content)

    @property
    def site_dir(self) -> Path:
        return self.path(self.site)

    @property
    def mkdocs_file(self) -> Path:
        return self.path(self.mkdocs_config)

    @property
    def templates_dir(self) -> Path:
        return self.path(self.templates)

    @property
    def cache_dir(self) -> Path | None:
        return None if self.cache is None else self.path(self.cache)

    @property
    def corrections_file(self) -> Path:
        if self.corrections is not None:
            return self.path(self.corrections)
        return self.articles_dir / "corrections.yml"
