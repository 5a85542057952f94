"""Build: MkDocs run on the content folder, into a staging folder that becomes the site.

MkDocs runs in a process of its own (`mkdocs_build`), reproducibly (`SOURCE_DATE_EPOCH`
from the newest article), into a staging folder beside the site, marked as made by
dossier (`SITE_MARKER`) and readable by all (a web server runs as another user). Only
when the build succeeded does the site change: a full build's staging folder replaces it
whole; an incremental one's (the pages rendered again and the shared outputs) is moved
into it, and the pages gone are removed (`update_in_place`): linking the 80,000 pages
kept into the staging folder and removing the old site took 22 s of adding one article
to 10,000. `mkdocs_settings` reads the plain settings of mkdocs.yml.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from generator.collector import release_memory
from generator.errors import BuildError
from generator.files import remove_empty_folders
from generator.records import (
    Article,
)
from generator.settings import Settings
from generator.site.folders import KEPT_LIST, MARKER_TEXT, SITE_MARKER, SUMMARY
from generator.site.up_to_date import (
    Built,
    files_with_status,
    folder_digest,
    in_walk_order,
    listing_digest,
    only_known_extensions,
    remember_site,
    site_key,
    up_to_date,
)
from generator.timing import timed

log = logging.getLogger(__name__)


def reproducible_epoch(articles: list[Article]) -> str:
    """Midnight UTC of the newest article date, within what a gzip header can hold."""
    dates = [a.date for a in articles if a.date is not None]
    newest = max(dates) if dates else dt.date(1970, 1, 1)
    moment = dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC)
    return str(min(max(int(moment.timestamp()), 0), 2**32 - 1))


def build_site(
    settings: Settings,
    epoch: str | None = None,
    digest: str | None = None,
    ahead: MkDocsProcess | None = None,
) -> str:
    """Run the MkDocs build into a staging folder beside the site, then swap it in place
    of the site. What an interrupted build left there is put right first. Returns what
    MkDocs rendered and kept (its summary line). With the build's inputs `digest`, a site
    still as the previous build left it from the same inputs is kept as it is (see
    generator/site/up_to_date.py). MkDocs builds in the process started `ahead`, if
    any."""
    key = up_to_date_key(settings, epoch, digest)
    state = site_state_file(settings)
    if key is None or state is None:
        return build_in_staging(settings, epoch, ahead)[0]
    summary = up_to_date(settings, state, key)
    if summary is not None:
        return summary
    with ThreadPoolExecutor(1) as meanwhile:  # MkDocs runs in a process of its own
        content = meanwhile.submit(folder_digest, settings.content_dir)
        summary, site_digest = build_in_staging(settings, epoch, ahead)
        remember_site(settings, state, key, summary, Built(content.result(), site_digest))
    return summary


def up_to_date_key(settings: Settings, epoch: str | None, digest: str | None) -> str | None:
    """What the site is built from, when it can tell whether the site is up to date."""
    if digest is None or not settings.read_cache or settings.cache_dir is None:
        return None
    config = mkdocs_settings(settings)
    return site_key(settings, digest, epoch, config) if only_known_extensions(config) else None


def build_in_staging(
    settings: Settings, epoch: str | None, ahead: MkDocsProcess | None = None
) -> tuple[str, str | None]:
    """What MkDocs rendered and kept (its summary line), and the digest of the site
    (`folder_digest` with inodes) when it was updated in place."""
    site = settings.site_dir
    site_digest = None
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        restore_interrupted_swap(site)
        remove_stale_staging(site)
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(site), dir=site.parent))
    except OSError as error:
        raise cannot_write(site, error) from error
    try:
        (staging / SITE_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        with ThreadPoolExecutor(1) as meanwhile:  # the site's files listed while MkDocs runs
            listing = meanwhile.submit(lambda: dict(files_with_status(str(site))))
            summary = run_mkdocs(settings, staging, epoch, ahead)
            make_readable(staging)
            kept = kept_pages(staging)
            if kept is None:
                swap_in(staging, site)
            else:
                site_digest = update_in_place(staging, site, kept, listing.result())
    except OSError as error:
        raise cannot_write(site, error) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # nothing left once swapped in
    return summary, site_digest


def run_mkdocs(
    settings: Settings, staging: Path, epoch: str | None, ahead: MkDocsProcess | None = None
) -> str:
    """MkDocs' build of the content folder into `staging`, in the process started `ahead`
    of it (see `MkDocsProcess`) or in one started now; its summary line."""
    release_memory()
    command = [str(settings.mkdocs_file), str(settings.content_dir), str(staging)]
    verbose = log.isEnabledFor(logging.INFO)
    command += ["-v"] if verbose else []
    command += ["--offline"] if settings.offline else []
    command += incremental_options(settings, staging)
    with timed("mkdocs"), ahead or MkDocsProcess(settings) as mkdocs:
        returncode, stdout, stderr = mkdocs.build(command, epoch)
    messages = (stdout + stderr).strip()
    if verbose and messages:
        log.info("MkDocs said:\n%s", messages)
    if returncode != 0:
        raise BuildError(f"MkDocs build failed, previous site kept:\n{messages}")
    lines = [line for line in stdout.splitlines() if line.startswith(SUMMARY)]
    return lines[-1] if lines else ""


class MkDocsProcess:
    """The process MkDocs builds in (`python -m generator.site.mkdocs_build --wait`),
    which `dossier build` starts ahead, as its pipeline begins, when there is a previous
    build state (see `mkdocs_ahead`): its imports done and the state read while the
    generator works on one core, it builds once it is sent the arguments. At 10,000
    articles, reading the state (145 MB) alone took 2.2 s of adding one article. Used as
    a context manager: a process not told to build by the end (the site is up to date,
    or the build failed) is stopped."""

    def __init__(self, settings: Settings) -> None:
        command = [sys.executable, "-m", "generator.site.mkdocs_build", "--wait"]
        state = state_to_read(settings)
        command += [str(state)] if state is not None else []
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def build(self, arguments: list[str], epoch: str | None) -> tuple[int, str, str]:
        """Its return code and what it printed, once it built with these arguments (those
        of `mkdocs_build`) and this SOURCE_DATE_EPOCH (unless the environment sets one)."""
        message = json.dumps({"arguments": arguments, "epoch": epoch}) + "\n"
        stdout, stderr = self.process.communicate(message)
        return self.process.returncode, stdout, stderr

    def __enter__(self) -> MkDocsProcess:
        return self

    def __exit__(self, *_: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def mkdocs_ahead(settings: Settings) -> MkDocsProcess | None:
    """The MkDocs process started ahead, if there is a previous build state to read. A
    first build starts MkDocs when it is needed: started ahead, its imports would be held
    beside the generator's peak memory (4.01 GB in all at 10,000 articles)."""
    return MkDocsProcess(settings) if state_to_read(settings) is not None else None


def state_to_read(settings: Settings) -> Path | None:
    """The previous build state that MkDocs keeps pages by, if any (none: `--no-cache`)."""
    state = site_state_file(settings)
    return state if state is not None and settings.read_cache and state.is_file() else None


def incremental_options(settings: Settings, staging: Path) -> list[str]:
    """The previous site to keep pages of, the build state beside the caches, the
    processes that render the pages; `--no-cache`: every page rendered."""
    options = ["--previous", str(settings.site_dir), "--jobs", str(settings.jobs)]
    options += ["--kept-list", str(staging / KEPT_LIST)]
    state = site_state_file(settings)
    if state is not None:
        options += ["--state", str(state)]
    return options if settings.read_cache else [*options, "--full"]


def site_state_file(settings: Settings) -> Path | None:
    """The build state of this site folder (see generator/site/site_state.py), in the
    cache folder: one per site folder, so that the site and its `--offline` twin do not
    make each other's builds full ones."""
    if settings.cache_dir is None:
        return None
    site = str(settings.site_dir.resolve())
    name = f"{settings.site_dir.name}-{hashlib.sha256(site.encode()).hexdigest()[:12]}.json"
    return settings.cache_dir / "site-state" / name


def cannot_write(site: Path, error: OSError) -> BuildError:
    where = f" ({error.filename})" if error.filename else ""
    return BuildError(f"cannot write the site {site}: {error.strerror}{where}; previous site kept")


def staging_prefix(site: Path) -> str:
    return f".{site.name}-staging-"


def old_site(site: Path) -> Path:
    return site.with_name(f".{site.name}-old")


def remove_stale_staging(site: Path) -> None:
    """Remove the staging folders that failed builds of this site left beside it: only
    folders named like this build's own and holding its marker (a lock keeps a second
    build of the same dossier from running meanwhile)."""
    pattern = re.compile(re.escape(staging_prefix(site)) + r"[a-z0-9_]{8}")
    for path in site.parent.glob(f"{staging_prefix(site)}*"):
        if pattern.fullmatch(path.name) and is_own_staging(path):
            shutil.rmtree(path)


def is_own_staging(path: Path) -> bool:
    """Marked, or empty (killed between its creation and its marker)."""
    return path.is_dir() and ((path / SITE_MARKER).is_file() or not any(path.iterdir()))


def restore_interrupted_swap(site: Path) -> None:
    """A build stopped between moving the old site aside and moving the new one in:
    the old site goes back."""
    old = old_site(site)
    if not site.exists() and (old / SITE_MARKER).is_file():
        old.rename(site)


def make_readable(folder: Path) -> None:
    """Folders 0755 and files 0644, whatever the umask or the staging folder's 0700: a
    web server running as another user must be able to read the site."""
    os.chmod(folder, 0o755)
    for parent, folders, files in os.walk(folder):
        for name in folders:
            os.chmod(os.path.join(parent, name), 0o755)
        for name in files:
            path = os.path.join(parent, name)
            if not os.path.islink(path):
                os.chmod(path, 0o644)


def swap_in(staging: Path, site: Path) -> None:
    """The staging folder becomes the site; the old site is put back if that fails."""
    old = old_site(site)
    shutil.rmtree(old, ignore_errors=True)
    moved = site.exists()
    if moved:
        site.rename(old)
    try:
        staging.rename(site)
    except OSError:
        if moved:
            old.rename(site)
        raise
    shutil.rmtree(old, ignore_errors=True)


def kept_pages(staging: Path) -> set[str] | None:
    """The previous site's pages an incremental build kept (read from the staging folder,
    and taken out of it); None for a full build, whose staging folder is the whole site."""
    listed = staging / KEPT_LIST
    if not listed.is_file():
        return None
    kept = set(listed.read_text(encoding="utf-8").splitlines())
    listed.unlink()
    return kept


def update_in_place(
    staging: Path, site: Path, kept: set[str], listing: dict[str, os.stat_result]
) -> str:
    """The site updated from an incremental build's staging folder: every file of the
    site (`listing`, read while MkDocs ran) that is neither one of its files nor a page
    kept removed, then its files moved in; the digest of the files left (`folder_digest`
    with inodes, from `listing` and the files moved: walking the 85,000 files of 10,000
    articles' site again took 1.9 s). An update stopped half-way is put right by the
    next build, which renders again every page whose HTML is not the one its build state
    records."""
    moved = files_under(staging)
    wanted = kept | set(moved)
    for relative in listing.keys() - wanted:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(site / relative)
        remove_empty_folders((site / relative).parent, site)
    folders: set[Path] = set()
    for relative in moved:
        target = site / relative
        if target.parent not in folders:
            make_folder(target.parent, site)
            folders.add(target.parent)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        os.replace(staging / relative, target)
    left = {relative: listing[relative] for relative in kept if relative in listing}
    left |= {relative: os.lstat(site / relative) for relative in moved}
    in_order = sorted(left.items(), key=lambda item: in_walk_order(item[0]))
    return listing_digest(in_order, with_inodes=True)


def files_under(folder: Path) -> list[str]:
    """The files (and links) under a folder, by their paths relative to it."""
    found = []
    for parent, _, names in os.walk(folder):
        relative = os.path.relpath(parent, folder)
        prefix = "" if relative == "." else f"{relative}/"
        found += [prefix + name for name in names]
    return found


def make_folder(folder: Path, site: Path) -> None:
    """A folder of the site (readable by all, as `make_readable` leaves the staging
    folder's), in place of a file of the previous build that had its name."""
    path = site
    for name in folder.relative_to(site).parts:
        path = path / name
        if path.is_symlink() or path.is_file():
            path.unlink()
        if not path.is_dir():
            path.mkdir()
            os.chmod(path, 0o755)


def mkdocs_settings(settings: Settings) -> dict[str, Any]:
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may hold `!!python/name:` tags; plain settings are all we need here.
    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(settings.mkdocs_file.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as error:
        raise BuildError(f"{settings.mkdocs_file}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise BuildError(f"{settings.mkdocs_file}: not a MkDocs configuration")
    return data


def site_title(config: dict[str, Any]) -> str:
    """The dossier's title, from its MkDocs settings."""
    return str(config.get("site_name") or "Dossier")
