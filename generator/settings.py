"""Settings of one dossier build, each declared once with its type, default and help.

The declaration is the `Settings` dataclass: every field made by `option()` carries its
help, its command-line flag and the commands it belongs to. From it come
- the command-line options of every command (`generator/cli/options.py`);
- the defaults a dossier can set in its `mkdocs.yml`, under `extra: dossier:`
  (`with_mkdocs_defaults`); the command line still wins;
- the configuration table of the docs, docs/pages/configuration.md (`settings_table`, checked
  by a test).

Paths are relative to `root`, the folder the command runs in.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, get_args, get_type_hints

from generator.errors import BuildError
from generator.ingest.decode import MAX_FILE_BYTES
from generator.nlp.languages import DEFAULT_ENGLISH_MODEL, DEFAULT_LANGUAGE, SUPPORTED
from generator.nlp.pipeline import DEFAULT_MODEL

EXTRACTION = "extraction"  # options of every command that extracts
SITE = "site"  # options of the commands that write pages and build the site
MKDOCS_KEY = "dossier"  # `extra: dossier:` in mkdocs.yml


TEMPLATES = Path("site_templates")  # a dossier's own templates, if it has them
# this repository's site_templates/, which the wheel carries (generator/site_templates is
# a link to it)
PACKAGE_TEMPLATES = Path(str(resources.files("generator").joinpath("site_templates")))


class SettingsError(BuildError):
    """A setting that cannot be used; the message names where it was set."""


def option(
    default: Any,
    help: str,
    *,
    group: str,
    flag: str | None = None,
    choices: tuple[str, ...] | None = None,
    minimum: int | None = None,
) -> Any:
    """A declared setting: a dataclass field whose metadata the CLI, mkdocs.yml and the
    configuration table of the docs read."""
    metadata = {"help": help, "group": group, "flag": flag, "choices": choices, "min": minimum}
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Settings:
    root: Path = field(default_factory=Path.cwd)
    articles: Path = option(Path("seeds"), "Folder of articles.", group=EXTRACTION)
    corrections: Path | None = option(
        None,
        "Corrections file (default: corrections.yml in the articles folder).",
        group=EXTRACTION,
    )
    no_corrections: bool = option(
        False, "Ignore the corrections file (measure the general rules alone).", group=EXTRACTION
    )
    model: str = option(DEFAULT_MODEL, "spaCy model of French articles.", group=EXTRACTION)
    english_model: str = option(
        DEFAULT_ENGLISH_MODEL,
        "spaCy model of English articles, used when installed.",
        group=EXTRACTION,
    )
    default_language: str = option(
        DEFAULT_LANGUAGE,
        "The dossier's language (by default mkdocs.yml `theme.language`): of articles too "
        "short to detect, and of the page titles of entities named in several languages.",
        group=EXTRACTION,
        choices=SUPPORTED,
    )
    strict: bool = option(False, "Fail on any bad article.", group=EXTRACTION)
    max_article_bytes: int = option(
        MAX_FILE_BYTES,
        "Largest article file read, in bytes; a larger file is skipped with a warning.",
        group=EXTRACTION,
        minimum=1,
    )
    cache: Path | None = option(
        Path(".dossier-cache"),
        "Extraction cache folder (`--no-cache`: extract every article again).",
        group=EXTRACTION,
    )
    jobs: int = option(
        2,
        "Worker processes: spaCy's, and those that render the site's pages.",
        group=EXTRACTION,
        minimum=1,
    )
    scheduler: str | None = option(
        None,
        "Address of a Dask scheduler (`tcp://host:8786`): extract on that cluster, whose "
        "workers have dossier and the same models (needs the `cluster` extra).",
        group=EXTRACTION,
    )
    workers: int = option(
        0,
        "Extract on a Dask LocalCluster of this many worker processes, started for the run "
        "(0: no cluster, the local processes of `jobs`; needs the `cluster` extra).",
        group=EXTRACTION,
        minimum=0,
    )
    search_text: str = option(
        "auto",
        "What the search index holds: full text, or the lead (first two paragraphs) of "
        "each source and no event pages, or auto (full text below "
        "`search_full_text_below` articles).",
        group=SITE,
        choices=("auto", "full", "lead"),
    )
    search_full_text_below: int = option(
        1000, "With search_text auto: full text for dossiers smaller than this.", group=SITE
    )
    content: Path = option(Path("content"), "Folder for the generated Markdown.", group=SITE)
    site: Path = option(Path("site"), "Folder for the built site.", group=SITE)
    mkdocs_config: Path = option(Path("mkdocs.yml"), "MkDocs config.", group=SITE, flag="--config")
    templates: Path = option(
        TEMPLATES,
        "Jinja2 templates (when the dossier has no `site_templates` folder: the package's).",
        group=SITE,
    )
    offline: bool = option(
        False,
        "Build a site that opens from its folder or a zip (file://), without a server: "
        "links name index.html, search runs without one.",
        group=SITE,
    )
    force: bool = option(
        False,
        "Replace the site folder even if it is not empty and was not made by dossier.",
        group=SITE,
    )
    read_cache: bool = True  # False with `--no-cache`: compute every entry again, store it

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
        folder = self.path(self.templates)
        if self.templates == TEMPLATES and not folder.is_dir():
            return PACKAGE_TEMPLATES
        return folder

    @property
    def cache_dir(self) -> Path | None:
        return None if self.cache is None else self.path(self.cache)

    @property
    def corrections_used(self) -> Path | None:
        """The corrections file the pipeline reads (None: none, `no_corrections`)."""
        return None if self.no_corrections else self.corrections_file

    @property
    def corrections_file(self) -> Path:
        if self.corrections is not None:
            return self.path(self.corrections)
        return self.articles_dir / "corrections.yml"


def declared() -> list[dataclasses.Field[Any]]:
    """The declared settings, in declaration order."""
    return [f for f in dataclasses.fields(Settings) if "help" in f.metadata]


def flag_of(setting: dataclasses.Field[Any]) -> str:
    return setting.metadata["flag"] or "--" + setting.name.replace("_", "-")


NOT_IN_MKDOCS = ("mkdocs_config",)  # read before mkdocs.yml is found


def convert(setting: dataclasses.Field[Any], value: Any, where: str) -> Any:
    """A setting's value from YAML or the command line, checked against its declaration."""
    default: object = setting.default
    if value is None:
        return None
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise SettingsError(f"{where}: {setting.name} must be true or false, not {value!r}")
        return value
    if isinstance(default, int):
        if not isinstance(value, int) or isinstance(value, bool):
            raise SettingsError(f"{where}: {setting.name} must be a whole number, not {value!r}")
        minimum = setting.metadata["min"]
        if minimum is not None and value < minimum:
            raise SettingsError(f"{where}: {setting.name} must be at least {minimum}")
        return value
    if not isinstance(value, str | Path):
        raise SettingsError(f"{where}: {setting.name} must be text, not {value!r}")
    choices = setting.metadata["choices"]
    if choices and str(value) not in choices:
        raise SettingsError(f"{where}: {setting.name} must be one of {', '.join(choices)}")
    return Path(str(value)) if is_path(setting) else str(value)


def is_path(setting: dataclasses.Field[Any]) -> bool:
    """Whether a setting is declared a path (`Path`, `Path | None`), not text."""
    declared_type = get_type_hints(Settings)[setting.name]
    return declared_type is Path or Path in get_args(declared_type)


def with_mkdocs_defaults(settings: Settings, mkdocs: dict[str, Any], given: set[str]) -> Settings:
    """The settings with the defaults a dossier sets in mkdocs.yml (`extra: dossier:`, and
    `theme.language` for `default_language`), except those in `given` (set on the command
    line, which wins)."""
    section = (mkdocs.get("extra") or {}).get(MKDOCS_KEY) or {}
    where = f"{settings.mkdocs_file}: extra.{MKDOCS_KEY}"
    if not isinstance(section, dict):
        raise SettingsError(f"{where}: expected a mapping of settings")
    known = {s.name: s for s in declared() if s.name not in NOT_IN_MKDOCS}
    unknown = sorted(set(map(str, section)) - set(known))
    if unknown:
        raise SettingsError(
            f"{where}: unknown setting(s) {', '.join(unknown)} (known: {', '.join(known)})"
        )
    values = {
        name: convert(known[name], value, where)
        for name, value in section.items()
        if name not in given
    }
    theme_language = (mkdocs.get("theme") or {}).get("language")
    if "default_language" not in given | set(values) and theme_language in SUPPORTED:
        values["default_language"] = theme_language  # the dossier's language
    return dataclasses.replace(settings, **values)


def settings_table() -> str:
    """The configuration table of the README, made from the declaration."""
    rows = ["| setting | command line | default | what it is |", "|---|---|---|---|"]
    for setting in declared():
        default = setting.default
        shown = "—" if default is None else f"`{default}`"
        choices = setting.metadata["choices"]
        help_text = setting.metadata["help"] + (f" One of {', '.join(choices)}." if choices else "")
        rows.append(f"| `{setting.name}` | `{flag_of(setting)}` | {shown} | {help_text} |")
    return "\n".join(rows) + "\n"
