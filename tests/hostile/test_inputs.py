"""Hostile inputs around the articles: FIFOs, size limits, corrections files and paths
that are wrong. Each gives a clear message (never a traceback, never a wait), through
the real command line when it stops the build. Fast: no model, no MkDocs."""

from __future__ import annotations

import base64
import hashlib
import os
import signal
from contextlib import contextmanager

import pytest
from click.testing import CliRunner

from generator.cache.fingerprint import inputs_digest
from generator.cli.main import main
from generator.corrections import CorrectionsError
from generator.ingest.read import read_articles
from generator.pipeline import Stage, run
from generator.settings import Settings
from generator.site.csp import inline_script_hashes, policy, tile_origin, with_policy

from ..conftest import copy_project
from .bad_inputs import FRENCH, TITLE
from .test_build_safety import snapshot

ARTICLE = f"{TITLE}\n{FRENCH}\n"


@contextmanager
def at_most(seconds: int):
    """Fail instead of hanging (a FIFO opened for reading waits for a writer)."""

    def hung(signum, frame):
        raise AssertionError(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project", {"a.txt": ARTICLE})


def run_cli(settings, *arguments):
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(settings.root)
        return CliRunner().invoke(main, ["build", *arguments], catch_exceptions=False)


def test_a_fifo_among_the_articles_neither_hangs_ingest_nor_the_fingerprint(project):
    os.mkfifo(project.articles_dir / "notes.txt")
    os.mkfifo(project.articles_dir / "corrections.yml")
    with at_most(20):
        result = read_articles(project.articles_dir)
        inputs_digest(project)
        with pytest.raises(CorrectionsError) as error:
            run(project, Stage.INGEST)
    [problem] = result.problems
    assert str(problem) == (
        f"{project.articles_dir / 'notes.txt'}: is a named pipe (FIFO), not a regular file "
        "(skipped)"
    )
    assert [a.filename for a in result.articles] == ["a.txt"]
    assert str(error.value) == (
        f"{project.articles_dir / 'corrections.yml'}: cannot be read: is a named pipe (FIFO), "
        "not a regular file"
    )


def test_the_size_limit_is_a_setting(project):
    (project.articles_dir / "big.txt").write_text(ARTICLE * 20, encoding="utf-8")
    size = (project.articles_dir / "big.txt").stat().st_size
    settings = Settings(root=project.root, max_article_bytes=1000)
    state = run(settings, Stage.INGEST)
    [problem] = state.problems
    assert problem.path.endswith("/big.txt") and problem.action == "skipped"
    assert problem.message == (
        f"is {size:,} bytes, over the limit of 1,000 bytes per file "
        "(max_article_bytes; split it into several files)"
    )
    assert [a.filename for a in state.articles] == ["a.txt"]
    assert run(Settings(root=project.root), Stage.INGEST).problems == []


def test_the_size_limit_is_checked_on_the_command_line(project):
    result = run_cli(project, "--max-article-bytes", "0")
    assert result.exit_code == 2
    assert "Invalid value for '--max-article-bytes': 0 is not in the range x>=1" in result.output


# --- what stops the build: a clear line, exit 1, nothing written ------------------------

CP1252 = "entities:\n  - name: Abou Kamal\n    description: près de la frontière\n"
BAD_CORRECTIONS = [
    ("cp1252", CP1252.encode("cp1252"), "corrections.yml:3: not UTF-8 (byte 0xe8"),
    (
        "yaml",
        b"entities:\n  - name: [unclosed\n",
        "corrections.yml:3: not valid YAML: expected ',' or ']', but got '<stream end>' "
        "(while parsing a flow sequence, line 2)",
    ),
    (
        "unknown-key",
        b"entities:\n  - name: X\n    colour: red\n",
        "corrections.yml:2: unknown key(s) colour",
    ),
    (
        "coordinates",
        b"entities:\n  - name: X\n    type: place\n    coordinates: [91, 0]\n",
        "corrections.yml:2: `coordinates` out of range (latitude, longitude)",
    ),
    (
        "coordinates-text",
        b"entities:\n  - name: X\n    type: place\n    coordinates: [nord, 0]\n",
        "corrections.yml:2: `coordinates` must be two numbers",
    ),
    (
        "merge-cycle",
        b"events:\n  merge:\n    - [2017-02-24-a, 2017-02-24-b]\n"
        b"    - [2017-02-24-b, 2017-02-24-a]\n",
        "corrections.yml:4: '2017-02-24-b' is already merged (line 3)",
    ),
    (
        "surrogate",
        b'entities:\n  - name: "Abou \\ud800 Kamal"\n',
        "corrections.yml:2: 'Abou \\ud800 Kamal' holds a control character or an unpaired",
    ),
    (
        "alias-loop",
        b"entities: &a [*a]\n",
        "corrections.yml:1: each entity needs at least a `name`",
    ),
    (
        "javascript-link",
        b"entities:\n  - name: X\n    links: ['javascript:alert(1)']\n",
        "corrections.yml:2: `links` must be a list of http(s) URLs",
    ),
]


@pytest.mark.parametrize(
    ("content", "message"),
    [case[1:] for case in BAD_CORRECTIONS],
    ids=[case[0] for case in BAD_CORRECTIONS],
)
def test_a_bad_corrections_file_is_one_line_naming_it(project, content, message):
    (project.articles_dir / "corrections.yml").write_bytes(content)
    before = snapshot(project.root)
    result = run_cli(project)
    assert result.exit_code == 1
    [line] = result.output.splitlines()
    assert line.startswith(f"error: {project.articles_dir / 'corrections.yml'}")
    assert message in line
    assert snapshot(project.root) == before
    assert not project.site_dir.exists()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--corrections", "absent.yml", "error: {root}/absent.yml: corrections file not found"),
        ("--articles", "absents", "error: articles folder not found: {root}/absents"),
    ],
)
def test_a_missing_input_named_on_the_command_line_is_an_error(project, option, value, message):
    before = snapshot(project.root)
    result = run_cli(project, option, value)
    assert result.exit_code == 1
    assert result.output == message.format(root=project.root) + "\n"
    assert snapshot(project.root) == before


# --- the Content-Security-Policy of every page ------------------------------------------

THEME_PAGE = (
    '<html><head><meta charset="utf-8"><script>var theme = 1</script></head><body>'
    '<article class="md-content__inner"><script>window.__pwned = 1</script></article>'
    '<script src="assets/bundle.js"></script><script>var theme = 2</script></body></html>'
)


def test_the_policy_lists_the_theme_scripts_but_none_in_the_content():
    assert inline_script_hashes(THEME_PAGE) == [
        f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
        for body in (b"var theme = 1", b"var theme = 2")
    ]
    page = with_policy(THEME_PAGE)
    head = page.split("<script>")[0]
    assert head.startswith('<html><head><meta charset="utf-8">\n  <meta http-equiv="Content-')
    assert "script-src 'self' 'sha256-" in head and "object-src 'none'" in head
    assert with_policy(THEME_PAGE) == page  # deterministic


def test_map_tiles_named_in_mkdocs_yml_are_the_only_other_origin():
    assert tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == (
        "https://*.tile.example.org"
    )
    assert tile_origin("javascript:alert(1)") is None and tile_origin(None) is None
    assert "img-src 'self' data: https://t.example.org;" in policy("", "https://t.example.org")
    assert "https:" not in policy("")
