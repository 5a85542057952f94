"""The corpus of bad inputs: each case is a file (or link) and the behaviour it must get.

`write_corpus(folder)` writes every case into a folder; huge and binary files are
generated here rather than stored in the repository. `CASES` is the table of
case -> expected behaviour that `tests/hostile/test_bad_inputs.py` checks one by one, and that
the CLI tests feed to the real `dossier build`.

Expected behaviour:
- `skipped`: the file gives one problem line containing `message`; no article.
- `kept`: the article is built; if `message` is set, one problem line (action
  "article kept") contains it, otherwise the file gives no problem line at all.
- `source`: kept and recorded as one source with another file (duplicates).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FRENCH = (
    "L’armée irakienne a frappé des positions de Daech près d’Abou Kamal, à la frontière "
    "syrienne. « C’est une opération conjointe », a déclaré le général Maqsoud — un élève "
    "de l’école française."
)
TITLE = "Frappes irakiennes en Syrie"


@dataclass(frozen=True)
class Case:
    name: str  # file name in the corpus folder
    what: str  # the hostile thing, for test ids and the README table
    expect: str  # skipped | kept | source
    message: str | None  # a fragment of the problem line, if any
    make: Callable[[Path], None]  # writes the file at the given path
    check: Callable[[object], None] | None = None  # more checks on the Article


def data(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def text(content: str) -> Callable[[Path], None]:
    return data(content.encode("utf-8"))


def huge(size: int) -> Callable[[Path], None]:
    """A real text file of `size` bytes (paragraphs of French), written in blocks."""

    def make(path: Path) -> None:
        block = (FRENCH + "\n").encode("utf-8") * 1000
        with path.open("wb") as out:
            written = 0
            while written < size:
                chunk = block[: size - written]
                out.write(chunk)
                written += len(chunk)

    return make


def one_line(chars: int) -> Callable[[Path], None]:
    sentence = FRENCH + " "
    return text(TITLE + "\n" + (sentence * (chars // len(sentence) + 1))[:chars])


def link_to(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        os.symlink(target, path)

    return make


def fifo(path: Path) -> None:
    os.mkfifo(path)  # opening it to read would wait for a writer forever


def unix_socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))  # the file stays when the socket is closed


def front_matter(meta: str) -> Callable[[Path], None]:
    """A Markdown article whose text differs with its front matter (no duplicates)."""
    return text(f"---\n{meta}\n---\n{FRENCH} Cas {meta!r}.\n")


def expect_text(article) -> None:
    assert any(p.startswith("L’armée irakienne a frappé") for p in article.paragraphs)
    assert "\r" not in "".join(article.paragraphs)


def expect_title(title: str) -> Callable[[object], None]:
    def check(article) -> None:
        assert article.title == title
        expect_text(article)

    return check


def expect_no_date(article) -> None:
    assert article.date is None
    expect_text(article)


def expect_meta(**values: object) -> Callable[[object], None]:
    def check(article) -> None:
        for key, value in values.items():
            assert getattr(article, key) == value, (key, getattr(article, key))
        expect_text(article)

    return check


def expect_paragraphs(count: int) -> Callable[[object], None]:
    def check(article) -> None:
        assert len(article.paragraphs) == count, article.paragraphs
        expect_text(article)

    return check


def expect_split(article) -> None:
    assert len(article.paragraphs) >= 4
    assert max(len(p) for p in article.paragraphs) <= 10_000
    assert all(p.endswith(".") for p in article.paragraphs[:-1])  # cut at sentence ends


MARKUP_TITLE = "<script>alert('t')</script> **gras** {{ 7*7 }} {% raw %}"
MARKUP = (
    f'---\ntitle: "{MARKUP_TITLE}"\n---\n'
    "Le général <script>alert(1)</script> Maqsoud a parlé à Damas.\n\n"
    '<img src=x onerror="alert(2)"> [clic](javascript:alert(3)) {{ 7*7 }} {% if x %}\n\n'
    "# Pas un titre\n\n- pas une liste\n"
)

CASES: list[Case] = [
    Case("empty.txt", "empty file", "skipped", "has no text", data(b"")),
    Case("whitespace.txt", "whitespace only", "skipped", "has no text", data(b" \n\t\r\n \r ")),
    Case(
        "binary.txt",
        "binary file",
        "skipped",
        "binary file",
        data(bytes(range(256)) * 40),
    ),
    Case(
        "pdf-renamed.txt",
        "a PDF renamed .txt",
        "skipped",
        "is a PDF document, not text",
        data(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
    ),
    Case(
        "docx-renamed.txt",
        "a Word document renamed .txt",
        "skipped",
        "is a ZIP archive",
        data(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(200))),
    ),
    Case(
        "cp1252.txt",
        "French in Windows-1252",
        "kept",
        "is not UTF-8: read as Windows-1252 (cp1252)",
        data(f"{TITLE}\n{FRENCH} Cas cp1252.\n".encode("cp1252")),
        expect_title(TITLE),
    ),
    Case(
        "latin1.txt",
        "French in Latin-1",
        "kept",
        "is not UTF-8: read as ISO-8859-1 (Latin-1)",
        data(f"{TITLE}\n{FRENCH}\n".replace("’", "'").replace("—", "-").encode("latin-1")),
        lambda a: a.paragraphs[0].startswith("L'armée irakienne a frappé des positions"),
    ),
    Case(
        "bom.txt",
        "UTF-8 with a byte order mark",
        "kept",
        None,
        data(f"\ufeff{TITLE}\n{FRENCH} Cas BOM.\n".encode()),
        expect_title(TITLE),
    ),
    Case(
        "utf16.txt",
        "UTF-16 with a byte order mark (Notepad's 'Unicode')",
        "kept",
        None,
        data(f"{TITLE}\r\n{FRENCH} Cas UTF-16.\r\n".encode("utf-16")),
        expect_title(TITLE),
    ),
    Case(
        "crlf.txt",
        "CRLF line ends",
        "kept",
        None,
        text(f"{TITLE}\r\n\r\nPremier.\r\n{FRENCH}\r\n"),
        expect_paragraphs(2),
    ),
    Case(
        "lone-cr.txt",
        "lone CR line ends (old Mac)",
        "kept",
        None,
        text(f"{TITLE}\rPremier.\r\r{FRENCH} Cas CR.\r"),
        expect_paragraphs(2),
    ),
    Case(
        "huge.txt",
        "a 50 MB article",
        "skipped",
        "is 50.0 MB, over the limit of 10 MB per file",
        huge(50_000_000),
    ),
    Case(
        "one-long-line.txt",
        "one line of 1 MB",
        "skipped",
        "over the limit of 200,000 per article",
        one_line(1_000_000),
    ),
    Case(
        "long-paragraph.txt",
        "one paragraph of 45,000 characters",
        "kept",
        "has a paragraph of 45,000 characters: long paragraphs split",
        one_line(45_000),
        expect_split,
    ),
    Case(
        "malformed-yaml.md",
        "malformed YAML front matter",
        "kept",
        "has malformed YAML front matter",
        front_matter("title: [unclosed\ndate: 2017-02-24"),
        expect_no_date,
    ),
    Case(
        "front-matter-list.md",
        "front matter that is a list",
        "kept",
        "front matter that is not a mapping",
        front_matter("- a\n- b"),
        expect_text,
    ),
    Case(
        "date-yesterday.md",
        "date: yesterday",
        "kept",
        "front matter `date` is not a date in YYYY-MM-DD form: 'yesterday': date left empty",
        front_matter(f"title: {TITLE}\ndate: yesterday"),
        expect_no_date,
    ),
    Case(
        "title-list.md",
        "title: [a, b]",
        "kept",
        "front matter `title` must be text, not list: ignored",
        front_matter("title: [a, b]\ndate: 2017-02-24"),
        lambda a: a.title != "['a', 'b']" and a.date.year == 2017,
    ),
    Case(
        "year-0.md",
        "a date in the year 0",
        "kept",
        "'0000-01-01': date left empty",
        front_matter(f"title: {TITLE}\ndate: 0000-01-01"),
        expect_no_date,
    ),
    Case(
        "year-3000.md",
        "a date in the year 3000",
        "kept",
        "front matter `date` 3000-01-01 is outside 1600–2199: date left empty",
        front_matter(f"title: {TITLE}\ndate: 3000-01-01"),
        expect_no_date,
    ),
    Case(
        "duplicate-a.txt",
        "the same text under two names (first)",
        "source",
        None,
        text(f"Doublon\n{FRENCH} Doublon.\n"),
        lambda a: a.aliases == ("duplicate-b.txt",),
    ),
    Case(
        "duplicate-b.txt",
        "the same text under two names (second)",
        "source",
        "same text as duplicate-a.txt (recorded as one source)",
        text(f"Doublon\n{FRENCH} Doublon.\n"),
    ),
    Case(
        "link-out.txt",
        "a symlink out of the articles folder",
        "skipped",
        "is a link to a file outside the articles folder",
        link_to("/etc/hostname"),
    ),
    Case(
        "broken-link.txt",
        "a symlink to nothing",
        "skipped",
        "is a broken link",
        link_to("does-not-exist.txt"),
    ),
    Case(
        "markup.md",
        "HTML, <script>, Markdown and Jinja in title and text",
        "kept",
        None,
        text(MARKUP),
        lambda a: a.title == MARKUP_TITLE and "<script>alert(1)</script>" in a.paragraphs[0],
    ),
    Case(
        "rtl.txt",
        "right-to-left script (Arabic)",
        "kept",
        None,
        text("بغداد تحت القصف\nقال حيدر العبادي إن الطائرات قصفت مواقع داعش في سوريا.\n"),
        lambda a: a.title == "بغداد تحت القصف",
    ),
    Case(
        "index.txt",
        "a file named like the sources index page",
        "kept",
        None,
        text(f"Index\n{FRENCH} Index.\n"),
        lambda a: a.slug == "index-article",
    ),
    Case(
        "caf\udce9-cp1252.txt",  # the name's bytes are cp1252 too: not UTF-8
        "a file name and a text in Windows-1252",
        "kept",
        "is not UTF-8: read as Windows-1252 (cp1252)",
        data(f"Café {TITLE}\n{FRENCH} Cas du nom.\n".encode("cp1252")),
        lambda a: a.filename == "caf\ufffd-cp1252.txt" and a.slug == "caf-cp1252",
    ),
    Case(
        "script-only.html",
        "an HTML page with only scripts and styles",
        "skipped",
        "has no text",
        text("<html><head><title></title><script>alert(1)</script></head><body></body>"),
    ),
    Case(
        "nul-inside.txt",
        "NUL and control characters after the first 8 kB",
        "kept",
        "has 3 control character(s): replaced by U+FFFD",
        text(f"{TITLE}\n{FRENCH}\n" + ("x " * 100 + "\n") * 50 + "\x00\x07\x1b[31m fin.\n"),
        lambda a: a.paragraphs[-1] == "\ufffd\ufffd\ufffd[31m fin." and a.title == TITLE,
    ),
    Case(
        "fifo.txt",
        "a named pipe (mkfifo) named like an article",
        "skipped",
        "is a named pipe (FIFO), not a regular file",
        fifo,
    ),
    Case("socket.md", "a Unix socket", "skipped", "is a socket, not a regular file", unix_socket),
    Case(
        "loop.txt",
        "a symlink to itself",
        "skipped",
        "is a link that loops back on itself",
        link_to("loop.txt"),
    ),
    Case(
        "surrogate.md",
        "a lone surrogate escaped in the front matter",
        "kept",
        "front matter `title` has 1 unpaired surrogate(s): replaced by U+FFFD",
        front_matter('title: "Titre \\ud800 seul"\nauthor: "\\x07bip"'),
        expect_meta(title="Titre \ufffd seul", author="\ufffdbip"),
    ),
    Case(
        "javascript-url.md",
        "url: javascript:alert(1)",
        "kept",
        "`url` is not an http(s) address: dropped",
        front_matter('url: "javascript:alert(1)"'),
        expect_meta(url=None),
    ),
    Case(
        "data-url.md",
        "url: data:text/html (script inside)",
        "kept",
        "`url` is not an http(s) address: dropped",
        front_matter('url: "data:text/html,<script>alert(1)</script>"'),
        expect_meta(url=None),
    ),
    Case(
        "vbscript-url.html",
        "an HTML page whose og:url is vbscript:",
        "kept",
        "`url` is not an http(s) address: dropped",
        text(
            '<html><head><meta property="og:url" content=" VBScript:msgbox(1)"></head>'
            f"<body><h1>{TITLE}</h1><p>{FRENCH} Cas VBScript.</p></body></html>"
        ),
        expect_meta(url=None, title=TITLE),
    ),
    Case(
        "hostless-url.md",
        "url: https:/chemin (no host)",
        "kept",
        "`url` is not an http(s) address: dropped",
        front_matter('url: "https:/chemin"\ntitle: Sans hôte'),
        expect_meta(url=None),
    ),
    Case(
        "good-url.md",
        "url: https://... (kept as it is)",
        "kept",
        None,
        front_matter('url: "https://exemple.org/a?b=1#c"\ntitle: Bonne adresse'),
        expect_meta(url="https://exemple.org/a?b=1#c"),
    ),
    Case(
        "language-xx.md",
        "language: xx (not supported)",
        "kept",
        "front matter `language` 'xx' is not supported (fr, en): replaced by detection",
        front_matter("language: xx\ntitle: Langue inconnue"),
        expect_meta(language=None),
    ),
]


def write_corpus(folder: Path, cases: list[Case] = CASES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for case in cases:
        case.make(folder / case.name)
    return folder
