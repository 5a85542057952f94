"""Crash safety, fast: a damaged cache, an interrupted page write, a full or read-only
disk, a foreign site folder, a second build at once. No model, no MkDocs: each case is
shown on the smallest unit that has it, or on the command line where it stops before
the model is loaded (the slow cases are in test_crash_safety_build.py)."""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import multiprocessing
import os
import signal
import stat
import time
from dataclasses import replace
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner

from generator import files as safe_files
from generator.cache import files
from generator.cache.fingerprint import BuildRecord, load_record, save_record
from generator.cache.replay import replayed_report
from generator.cache.store import ExtractionCache, ParseCache, StoredParses, extract_cached
from generator.cli.main import Stopped, main, stopped_by_signals
from generator.errors import BuildError
from generator.ingest.read import read_articles
from generator.nlp.mentions import extract_mentions
from generator.records import Article, Mention, Page
from generator.settings import Settings
from generator.site import build, write
from generator.site.build import (
    build_site,
    make_readable,
    remove_stale_staging,
    restore_interrupted_swap,
    swap_in,
    update_in_place,
)
from generator.site.folders import SITE_MARKER, check_site_folder
from generator.site.lock import LOCK, build_lock
from generator.site.up_to_date import files_with_status, folder_digest
from generator.site.write import MANIFEST, write_pages
from tests.factories import article as make_article

from ..conftest import copy_project
from .test_build_safety import snapshot

# --- the extraction cache: checked, recomputed, never a traceback ------------------------

PARAGRAPH = "Hassan Khoury est arrivé à Mossoul."


def mention(**changes: object) -> Mention:
    fields = dict(
        article="a",
        paragraph=0,
        start=0,
        end=13,
        text="Hassan Khoury",
        type="person",
        sentence=PARAGRAPH,
        sentence_start=0,
        origin="model",
    )
    return Mention(**{**fields, **changes})  # type: ignore[arg-type]


@pytest.fixture
def cache(tmp_path):
    return ExtractionCache(tmp_path / "cache", "version")


def blank_extraction(articles: list[Article]) -> list[Mention]:
    """A blank pipeline finds no mention."""
    return extract_mentions(articles, spacy.blank("xx"))


def text_article(text: str, slug: str = "a") -> Article:
    """An article whose hash is that of its text, as read_articles makes it."""
    made = make_article(text, slug=slug, language="fr")
    return replace(made, sha256=hashlib.sha256(text.encode()).hexdigest())


@pytest.fixture
def article():
    return text_article(PARAGRAPH)


def reseal(path: Path, change) -> None:
    """Alter an entry and give it a valid checksum again: only the checks of its
    content can tell."""
    payload = files.unsealed(path.read_bytes())
    change(payload)
    path.write_bytes(files.sealed(payload))


def test_a_cache_entry_reads_back_as_written(cache, article):
    cache.put(article, [mention(article=article.slug)])
    assert cache.get(article) == [mention(article=article.slug)]
    assert not list(cache.folder.rglob("*.tmp"))


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda p: reseal(p, lambda d: d["mentions"][0].update(text=5)), "text is not str"),
        (lambda p: reseal(p, lambda d: d["mentions"][0].update(paragraph=7)), "no paragraph 7"),
        (lambda p: reseal(p, lambda d: d["mentions"][0].update(end=999)), "out of the paragraph"),
        (lambda p: reseal(p, lambda d: d["mentions"][0].pop("type")), "not a stored mention"),
        (lambda p: reseal(p, lambda d: d.update(mentions={})), "mentions is not a list"),
        (lambda p: p.write_bytes(p.read_bytes()[:-20]), "checksum mismatch"),  # truncated
        (lambda p: p.write_bytes(p.read_bytes().replace(b"Hassan", b"Hassam")), "checksum"),
        (lambda p: p.write_bytes(b"[]"), "no checksum"),
    ],
)
def test_a_damaged_cache_entry_is_computed_again_with_a_warning(
    cache, article, caplog, damage, reason
):
    cache.put(article, [mention(article=article.slug)])
    path = cache.path(article)
    damage(path)
    with caplog.at_level(logging.WARNING):
        assert cache.get(article) is None
    assert f"{path}: damaged cache entry (" in caplog.text
    assert reason in caplog.text and "extracting again" in caplog.text


def test_the_entries_of_two_articles_swapped_are_both_computed_again(cache, caplog):
    one = text_article("Un texte assez long pour ses mentions.", "un")
    two = text_article("Deux.", "deux")
    cache.put(one, [mention(article=one.slug, start=3, end=8, text="texte")])
    cache.put(two, [])
    first, second = cache.path(one), cache.path(two)
    data = first.read_bytes()
    first.write_bytes(second.read_bytes())
    second.write_bytes(data)
    with caplog.at_level(logging.WARNING):
        assert cache.get(one) is None and cache.get(two) is None
    assert caplog.text.count("the entry of another article") == 2


def test_without_reading_the_cache_entries_are_computed_and_written_anew(tmp_path, article):
    """`--no-cache` repairs a damaged cache: it reads no entry and writes every one."""
    cache = ExtractionCache(tmp_path, "version")
    cache.put(article, [mention(article=article.slug)])
    reseal(cache.path(article), lambda d: d["mentions"][0].update(text=5))
    fresh = ExtractionCache(tmp_path, "version", read=False)
    assert fresh.get(article) is None
    found = extract_cached([article], blank_extraction, fresh)
    assert found == []  # a blank pipeline finds nothing: the entry says so now
    assert ExtractionCache(tmp_path, "version").get(article) == []


def test_a_full_cache_disk_is_one_warning_and_the_build_goes_on(
    cache, article, caplog, monkeypatch
):
    def full(*arguments, **options):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(safe_files.tempfile, "mkstemp", full)
    other = text_article("Autre texte.", "autre")
    with caplog.at_level(logging.WARNING):
        extract_cached([article, other], blank_extraction, cache)
    [warning] = caplog.records
    assert warning.getMessage() == (
        f"{cache.path(article)}: cannot write to the cache (No space left on device); "
        "going on without it"
    )


def test_a_cache_write_stopped_half_way_leaves_no_entry_and_no_temporary(
    cache, article, monkeypatch
):
    def interrupted(source, target):
        raise KeyboardInterrupt

    monkeypatch.setattr(safe_files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.put(article, [])
    assert cache.get(article) is None
    assert list(cache.folder.rglob("*")) == [cache.path(article).parent]


def test_a_damaged_parse_entry_is_parsed_again(tmp_path, article, caplog):
    cache = ParseCache(tmp_path, "version")
    nlp = spacy.blank("xx")
    cache.put(article, StoredParses.from_docs({0: nlp(PARAGRAPH)}))
    assert cache.get(article).paragraphs == [0]
    path = cache.path(article)
    path.write_bytes(path.read_bytes()[:-3])
    with caplog.at_level(logging.WARNING):
        assert cache.get(article) is None
    assert "checksum mismatch" in caplog.text and "parsing again" in caplog.text
    other = text_article("Autre texte.", "autre")
    cache.path(other).parent.mkdir(parents=True, exist_ok=True)
    cache.put(article, StoredParses.from_docs({0: nlp(PARAGRAPH)}))
    cache.path(other).write_bytes(path.read_bytes())
    assert cache.get(other) is None
    assert "the entry of another article" in caplog.text


@pytest.mark.parametrize(
    "report", [{}, {"extraction": 5}, {"extraction": {}, "problems": [{"x": 1}]}]
)
def test_a_damaged_record_of_the_last_build_generates_the_pages_again(report, caplog):
    with caplog.at_level(logging.WARNING):
        assert replayed_report(BuildRecord("digest", report, {})) is None
    assert "the last build's record is damaged" in caplog.text


def test_a_truncated_record_of_the_last_build_is_no_record(tmp_path):
    settings = Settings(root=tmp_path)
    save_record(settings, BuildRecord("digest", {"articles": 1}, {"index.md": [1, 2]}))
    assert load_record(settings) == BuildRecord("digest", {"articles": 1}, {"index.md": [1, 2]})
    path = tmp_path / ".dossier-cache" / "last-build.json"
    path.write_bytes(path.read_bytes()[:-5])
    assert load_record(settings) is None


# --- pages: an interrupted write is finished by the next build ---------------------------


def pages(version: str, *names: str) -> list[Page]:
    return [Page(name, f"{name} {version}") for name in ("index.md", *names)]


class StopAfter:
    """write.write_file that stops the build (Ctrl-C, a full disk) after `count` files."""

    def __init__(self, count: int, error: BaseException) -> None:
        self.count, self.error = count, error
        self.real = write.write_file

    def __call__(self, target: Path, data: bytes) -> None:
        if target.name != MANIFEST:
            if self.count == 0:
                target.with_name(f".{target.name}.tmp").write_bytes(data[:3])  # half written
                raise self.error
            self.count -= 1
        self.real(target, data)


@pytest.mark.parametrize("first_build", [True, False])
def test_the_build_after_an_interrupted_page_write_finishes_the_pages(
    tmp_path, monkeypatch, first_build
):
    names = [f"sources/s{n}.md" for n in range(6)]
    if not first_build:
        write_pages(pages("old", *names, "sources/gone.md"), tmp_path)
    with monkeypatch.context() as patch:
        patch.setattr(write, "write_file", StopAfter(3, KeyboardInterrupt()))
        with pytest.raises(KeyboardInterrupt):
            write_pages(pages("new", *names), tmp_path)
    assert list(tmp_path.rglob("*.tmp"))  # what Ctrl-C leaves
    report = write_pages(pages("new", *names), tmp_path)
    assert report.notes == []  # no page taken for one edited by hand
    assert sorted(report.written) == sorted(["index.md", *names][3:])
    assert report.removed == ([] if first_build else ["sources/gone.md"])
    assert not list(tmp_path.rglob("*.tmp"))
    for page in pages("new", *names):
        assert (tmp_path / page.path).read_text(encoding="utf-8") == page.text
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest) == ["generated"] and len(manifest["generated"]) == 7


def test_a_full_content_disk_is_a_clear_error_and_the_next_build_finishes(tmp_path, monkeypatch):
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "sources/s1.md"))
    with monkeypatch.context() as patch:
        patch.setattr(write, "write_file", StopAfter(2, full))
        with pytest.raises(BuildError) as raised:
            write_pages(pages("new", "sources/s0.md", "sources/s1.md"), tmp_path)
    assert str(raised.value) == (
        f"cannot write the pages in {tmp_path}: No space left on device "
        f"({tmp_path}/sources/s1.md); the previous site is kept, and the next build "
        "finishes the pages"
    )
    report = write_pages(pages("new", "sources/s0.md", "sources/s1.md"), tmp_path)
    assert report.written == ["sources/s1.md"] and report.notes == []


def test_a_page_edited_by_hand_is_still_recognised_after_an_interrupted_write(
    tmp_path, monkeypatch
):
    write_pages(pages("old", "sources/a.md", "sources/b.md"), tmp_path)
    (tmp_path / "sources/b.md").write_text("annoté", encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(write, "write_file", StopAfter(1, KeyboardInterrupt()))
        with pytest.raises(KeyboardInterrupt):
            write_pages(pages("new", "sources/a.md"), tmp_path)
    report = write_pages(pages("new", "sources/a.md"), tmp_path)
    assert (tmp_path / "sources/b.md").read_text(encoding="utf-8") == "annoté"
    assert report.notes == [f"{tmp_path}/sources/b.md: edited by hand, no longer generated: kept"]


# --- the site folder ----------------------------------------------------------------------


def site_settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(root=tmp_path, **values)  # type: ignore[arg-type]


def test_a_site_folder_made_by_dossier_or_empty_or_missing_is_replaced(tmp_path):
    check_site_folder(site_settings(tmp_path))  # missing
    (tmp_path / "site").mkdir()
    check_site_folder(site_settings(tmp_path))  # empty
    (tmp_path / "site" / "index.html").write_text("x", encoding="utf-8")
    (tmp_path / "site" / SITE_MARKER).write_text("x", encoding="utf-8")
    check_site_folder(site_settings(tmp_path))


def test_a_foreign_folder_is_replaced_only_with_force(tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    with pytest.raises(BuildError, match="not made by dossier"):
        check_site_folder(site_settings(tmp_path, site=Path("repo")))
    check_site_folder(site_settings(tmp_path, site=Path("repo"), force=True))


@pytest.mark.parametrize("folder", ["repo", ".venv"])
def test_the_command_line_refuses_a_foreign_site_folder_and_touches_nothing(tmp_path, folder):
    settings = copy_project(tmp_path / "project", {"a.txt": "Titre\nTexte."})
    foreign = settings.root / folder
    (foreign / ".git").mkdir(parents=True)
    (foreign / ".bashrc").write_text("mes réglages", encoding="utf-8")
    before = snapshot(settings.root)
    result = run_cli(settings.root, "--site", folder)
    assert result.exit_code == 1
    assert result.output == (
        f"error: the site folder ({foreign}) is not empty and was not made by dossier (it "
        f"has no {SITE_MARKER} file), and the build would replace it as a whole: choose "
        "another --site, or add --force to replace it; nothing was written\n"
    )
    assert snapshot(settings.root) == before


def run_cli(root: Path, *arguments: str):
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        return CliRunner().invoke(main, ["build", *arguments], catch_exceptions=False)


def make_site(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / SITE_MARKER).write_text("x", encoding="utf-8")
    (folder / "index.html").write_text(text, encoding="utf-8")
    return folder


def test_stale_staging_folders_of_this_site_are_removed_and_nothing_else(tmp_path):
    stale = make_site(tmp_path / ".site-staging-abcd_123", "stale")
    other_site = make_site(tmp_path / ".public-staging-abcd_123", "another site's")
    mine = tmp_path / ".site-staging-mine"  # not a name the build makes
    mine.mkdir()
    unmarked = tmp_path / ".site-staging-efgh4567"  # not marked as the build's
    (unmarked / "notes.txt").parent.mkdir()
    (unmarked / "notes.txt").write_text("à moi", encoding="utf-8")
    empty = tmp_path / ".site-staging-ijkl8901"  # killed before its marker was written
    empty.mkdir()
    remove_stale_staging(tmp_path / "site")
    assert not stale.exists() and not empty.exists()
    assert other_site.exists() and mine.exists() and unmarked.exists()


def test_a_site_swap_stopped_half_way_is_undone_by_the_next_build(tmp_path):
    site = tmp_path / "site"
    make_site(tmp_path / ".site-old", "previous")  # moved aside, the new one not in yet
    restore_interrupted_swap(site)
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"


def test_a_failed_swap_puts_the_previous_site_back(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site", "previous")
    staging = make_site(tmp_path / ".site-staging-abcd1234", "new")
    real = Path.rename

    def failing(self: Path, target: Path) -> Path:
        if self == staging:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(OSError):
        swap_in(staging, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"


def test_an_incremental_update_leaves_the_site_its_staging_folder_and_the_pages_kept_and_a_digest(
    tmp_path,
):
    site = make_site(tmp_path / "site", "previous")
    for path, text in {
        "kept/index.html": "kept",
        "gone/index.html": "a page removed since",
        "stray.txt": "not from any build",
        "was-a-file": "a file where a folder is now",
        "now-a-file/index.html": "a folder where a file is now",
    }.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    staging = make_site(tmp_path / ".site-staging-abcd1234", "new")
    for path in ["was-a-file/index.html", "now-a-file", "new/deep/index.html"]:
        (staging / path).parent.mkdir(parents=True, exist_ok=True)
        (staging / path).write_text(f"new {path}", encoding="utf-8")
    previous = os.umask(0o077)
    try:
        listing = dict(files_with_status(str(site)))  # read while MkDocs runs
        digest = update_in_place(staging, site, {"kept/index.html"}, listing)
    finally:
        os.umask(previous)
    assert digest == folder_digest(site, with_inodes=True)  # what the no-change check reads
    files = {
        p.relative_to(site).as_posix(): p.read_text("utf-8") for p in site.rglob("*") if p.is_file()
    }
    assert files == {
        SITE_MARKER: "x",
        "index.html": "new",
        "kept/index.html": "kept",
        "was-a-file/index.html": "new was-a-file/index.html",
        "now-a-file": "new now-a-file",
        "new/deep/index.html": "new new/deep/index.html",
    }
    assert not (site / "gone").exists()
    assert stat.S_IMODE((site / "new" / "deep").stat().st_mode) == 0o755


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC, errno.EACCES])
def test_a_site_folder_that_cannot_be_written_is_a_clear_error(tmp_path, monkeypatch, code):
    site = make_site(tmp_path / "site", "previous")

    def refused(*arguments, **options):
        raise OSError(code, os.strerror(code), str(tmp_path))

    monkeypatch.setattr(build.tempfile, "mkdtemp", refused)
    with pytest.raises(BuildError) as raised:
        build_site(site_settings(tmp_path))
    assert str(raised.value) == (
        f"cannot write the site {site}: {os.strerror(code)} ({tmp_path}); previous site kept"
    )
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_a_clear_error(tmp_path):
    site = make_site(tmp_path / "site", "previous")
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(BuildError, match="Permission denied"):
            build_site(site_settings(tmp_path))
    finally:
        tmp_path.chmod(0o755)
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"


def test_the_site_is_readable_by_everyone_whatever_the_umask(tmp_path):
    folder = tmp_path / "staging"
    previous = os.umask(0o077)
    try:
        (folder / "people" / "x").mkdir(parents=True)
        (folder / "people" / "x" / "index.html").write_text("x", encoding="utf-8")
        folder.chmod(0o700)
        make_readable(folder)
    finally:
        os.umask(previous)
    modes = {
        path.relative_to(tmp_path).as_posix(): stat.S_IMODE(path.stat().st_mode)
        for path in [folder, *folder.rglob("*")]
    }
    assert modes == {
        "staging": 0o755,
        "staging/people": 0o755,
        "staging/people/x": 0o755,
        "staging/people/x/index.html": 0o644,
    }


# --- one build at a time ------------------------------------------------------------------


def test_a_second_build_says_which_process_holds_the_lock_and_stops(tmp_path):
    settings = copy_project(tmp_path / "project", {"a.txt": "Titre\nTexte."})
    content = settings.content_dir
    before = snapshot(settings.root)
    with build_lock(content):
        result = run_cli(settings.root)
    assert result.exit_code == 1
    assert result.output == (
        f"error: another build (pid {os.getpid()}) is writing {content}: wait for it to "
        f"end, then build again (lock file {content / LOCK})\n"
    )
    assert snapshot(settings.root) == before
    assert not (content / LOCK).exists()  # removed with the lock


def test_a_lock_file_left_by_a_killed_build_does_not_stop_the_next(tmp_path):
    (tmp_path / LOCK).write_text("12345\n", encoding="utf-8")  # its process is gone
    with build_lock(tmp_path):
        assert (tmp_path / LOCK).read_text(encoding="utf-8") == f"{os.getpid()}\n"
    assert not (tmp_path / LOCK).exists()


# --- stable URLs --------------------------------------------------------------------------


def test_a_name_with_no_letter_to_keep_gets_a_slug_of_its_own_whatever_the_others(tmp_path):
    """`🔥.txt` and `💥.txt` were `article` and `article-2` in name order: removing one,
    or another locale's order, gave one's URL to the other."""
    both, alone = tmp_path / "both", tmp_path / "alone"
    for folder, names in ((both, ["🔥.txt", "💥.txt"]), (alone, ["💥.txt"])):
        folder.mkdir()
        for name in names:
            (folder / name).write_text(f"Titre\nLe texte de {name}.\n", encoding="utf-8")
    slugs = {a.filename: a.slug for a in read_articles(both).articles}
    assert slugs == {"🔥.txt": "article-ed8d8305", "💥.txt": "article-0fadd2ce"}
    assert [a.slug for a in read_articles(alone).articles] == ["article-0fadd2ce"]


# --- signals ------------------------------------------------------------------------------


def test_a_signal_stops_the_build_and_its_worker_processes(tmp_path):
    """What spaCy's worker processes get: killed with the build."""
    worker = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,))
    with pytest.raises(Stopped) as raised, stopped_by_signals():
        worker.start()
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises before this ends
    assert raised.value.number == signal.SIGTERM
    worker.join(timeout=5)
    assert worker.exitcode == -signal.SIGKILL
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # put back


def test_a_worker_that_gets_the_signal_itself_dies_of_it_without_a_traceback():
    """Ctrl-C reaches the whole process group: the handler a worker inherits does not
    raise in it."""
    worker = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,))
    with stopped_by_signals():
        worker.start()
        time.sleep(0.5)  # a signal between fork and the worker's start is not seen
        os.kill(worker.pid, signal.SIGINT)
        worker.join(timeout=5)
    assert worker.exitcode == -signal.SIGINT


def test_a_content_folder_too_full_for_the_manifest_is_a_clear_error(tmp_path, monkeypatch):
    def full(target: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(write, "write_file", full)
    with pytest.raises(BuildError, match="No space left on device") as raised:
        write_pages(pages("new"), tmp_path)
    assert f"({tmp_path / MANIFEST})" in str(raised.value)
