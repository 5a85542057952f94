"""What an incremental MkDocs build keeps from one build to the next.

Per page (`PagePart`), what its HTML was made from and what the shared outputs need
from it: the hash of its Markdown, the stamp of its HTML file (size, mtime, inode: a
hard link keeps all three), the entries Material's search plugin made from it, the names
dossier-search collected, its anchors and the anchors it links to (for MkDocs' anchor
validation), and every path its links looked up among the files (a file added or
removed there changes how the link renders, or fails the strict build).

For the whole site (`site_digest`), the parts of a digest that make every page change:
mkdocs.yml and what it reads from the environment, the theme's files, the generator's
code, the installed packages, the nav as rendered (titles, addresses, metadata), the
build date when a template shows it, the plugins. Any part that differs: a full build,
named by the part.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import orjson
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Navigation
from mkdocs.utils import get_build_date

from generator.files import file_hash, file_stamp

STATE_FORMAT = 2

# The plugins whose page events are known and replayed from the parts: with any other,
# every build is a full one.
KNOWN_PLUGINS = frozenset({"search", "material/search", "dossier-search"})


@dataclass
class PagePart:
    source: str  # sha256 of the Markdown file
    source_stamp: list[int]  # [size, mtime_ns] of the Markdown file
    html_stamp: list[int] | None  # [size, mtime_ns, inode] of the HTML (None: no output)
    entries: list[dict[str, Any]] = field(default_factory=list)  # Material's search entries
    names: list[str] | None = None  # dossier-search's names of the page
    anchors: list[str] = field(default_factory=list)  # the page's present anchor ids
    links: dict[str, dict[str, str]] = field(default_factory=dict)  # target -> anchor -> link
    lookups: list[str] = field(default_factory=list)  # paths its links looked up
    title: str | None = None  # the title its rendering found (its first heading)


@dataclass
class SiteState:
    digest: dict[str, str]
    files: list[str]  # every file MkDocs knew of (pages and static files)
    pages: dict[str, PagePart]  # by source path

    def to_json(self) -> bytes:
        # not dataclasses.asdict: its deep copy of every part took 2.8 s at 1,000 articles;
        # orjson: the state of 10,000 articles (141 MB) read in 1.8 s and written in 0.2 s,
        # where json took 3.2 s and 2.3 s
        pages = {uri: vars(part) for uri, part in self.pages.items()}
        data = {"format": STATE_FORMAT, "digest": self.digest, "files": self.files, "pages": pages}
        return orjson.dumps(data, default=str)


def load_state(path: Path) -> SiteState | str:
    """The state of the previous build, or why there is none that can be used."""
    try:
        data = orjson.loads(path.read_bytes())
        if data.get("format") != STATE_FORMAT:
            return "the build state has another format"
        pages = {uri: PagePart(**part) for uri, part in data["pages"].items()}
        return SiteState(digest=dict(data["digest"]), files=list(data["files"]), pages=pages)
    except FileNotFoundError:
        return "no previous build state"
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return "the build state is damaged"


class StateWriter:
    """The build state, written into its file by a forked process while the build ends
    (writing the state of 10,000 articles took 1.7 s, as long as the search index that
    is written meanwhile), and put in place only if the build succeeds. As a context
    manager: the build is the block; `start` once the state is known."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.writer: int | None = None

    def start(self, state: SiteState) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.partial()
        self.writer = os.fork()
        if self.writer == 0:  # pragma: no cover (the forked process)
            written = False
            try:
                partial.write_bytes(state.to_json())
                written = True
            finally:
                os._exit(0 if written else 1)

    def partial(self) -> Path:
        assert self.path is not None
        return self.path.with_name(f".{self.path.name}.partial")

    def __enter__(self) -> StateWriter:
        return self

    def __exit__(self, error_type: type[BaseException] | None, *rest: object) -> None:
        if self.writer is None:
            return
        status = os.waitpid(self.writer, 0)[1]
        if error_type is not None:
            self.partial().unlink(missing_ok=True)
        elif os.waitstatus_to_exitcode(status) != 0:
            raise OSError(f"the build state could not be written into {self.partial()}")
        else:
            os.replace(self.partial(), self.path)  # type: ignore[arg-type]


def changed_part(previous: dict[str, str], current: dict[str, str]) -> str | None:
    """The first part of the site digest that differs, if any."""
    for name, value in current.items():
        if previous.get(name) != value:
            return name
    return None


def site_digest(config: MkDocsConfig, offline: bool) -> dict[str, str]:
    """The parts but the nav's, which needs the titles of the nav's pages."""
    theme_dirs = [Path(folder) for folder in config.theme.dirs]
    return {
        "mkdocs.yml": _hash_bytes(Path(config.config_file_path).read_bytes()),
        "settings": _hash_text(
            json.dumps([config.site_url, config.use_directory_urls, config.strict, offline])
        ),
        "plugins": _hash_text(" ".join(config.plugins)),
        "packages": _hash_text(_packages()),
        "generator": _folder_hash(Path(str(resources.files("generator")))),
        "theme": _hash_text("\n".join(_theme_stamps(folder) for folder in theme_dirs)),
        "build date": _hash_text(get_build_date() if templates_show_dates(theme_dirs) else ""),
    }


def with_nav(digest: dict[str, str], nav: Navigation) -> dict[str, str]:
    return {**digest, "nav": _hash_text(nav_signature(nav))}


def unknown_plugins(config: MkDocsConfig) -> list[str]:
    return [name for name in config.plugins if name not in KNOWN_PLUGINS]


def nav_signature(nav: Navigation) -> str:
    """The nav as every page renders it: each item's title and address, and the
    metadata of its page (Material reads icons and status there)."""

    def item(node: Any) -> Any:
        children = [item(child) for child in (node.children or [])]
        meta = getattr(node, "meta", None)
        return [type(node).__name__, node.title, getattr(node, "url", None), meta, children]

    return json.dumps([item(node) for node in nav.items], sort_keys=True, default=str)


def templates_show_dates(theme_dirs: list[Path]) -> bool:
    """Whether a page template shows the build date (the sitemap, always rebuilt, aside):
    then a newer article's date changes every page."""
    for folder in theme_dirs:
        for path in folder.rglob("*.html"):
            text = path.read_text("utf-8", errors="replace")
            if "update_date" in text or "build_date" in text:
                return True
    return False


def _packages() -> str:
    """The installed distributions and their versions, as the names of their metadata
    folders say (`mkdocs_material-9.8.2.dist-info`): reading every METADATA file took
    seconds."""
    found = set()
    for entry in sys.path:
        with contextlib.suppress(OSError):
            found |= {name for name in os.listdir(entry or ".") if name.endswith(_METADATA)}
    return "\n".join([sys.version, *sorted(found)])


_METADATA = (".dist-info", ".egg-info")
_INSTALLED = {"site-packages", "dist-packages"}  # a package's files: its version says them


def _theme_stamps(folder: Path) -> str:
    """Path, size and modification time of every file of a theme folder that no
    installed package's version accounts for (a theme holds thousands of icons: their
    stamps cost less than their bytes)."""
    if _INSTALLED.intersection(folder.parts):
        return str(folder)
    lines = [str(folder)]
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            lines.append(f"{path.relative_to(folder)} {stat.st_size} {stat.st_mtime_ns}")
    return "\n".join(lines)


def _folder_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _hash_text(text: str) -> str:
    return _hash_bytes(text.encode("utf-8", errors="surrogateescape"))


def _hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_hash(path: str | None) -> str:
    assert path is not None  # a page read from the docs folder
    return file_hash(path)


def source_stamp(path: str | None) -> list[int]:
    assert path is not None
    return file_stamp(path)


def html_stamp(path: str) -> list[int] | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]
