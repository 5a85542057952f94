"""Property-based tests (hypothesis): arbitrary Unicode articles, sprinkled with markup,
never crash the pipeline, and no tag of theirs reaches the HTML.

Most examples take the fast path: ingest -> extract (the real model) -> resolve ->
render, then MkDocs' own Markdown configuration turns the pages into HTML. A few
examples go through a real strict MkDocs build. Examples are derandomised (the same on
every run, no example database) and few, so that CI stays fast.
"""

from __future__ import annotations

import posixpath
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from generator.ingest.read import read_articles
from generator.model import build_dossier
from generator.nlp.mentions import extract_mentions
from generator.resolve.entities import resolve
from generator.settings import Settings
from generator.site import urls
from generator.site.build import build_site
from generator.site.pages import dossier_pages
from generator.site.write import write_pages

from .conftest import ROOT
from .hostile.test_hostile import ActiveMarkup

pytestmark = pytest.mark.slow

# Pieces of markup, template syntax and names, mixed into arbitrary Unicode text.
FRAGMENTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<iframe src=javascript:alert(3)>",
    "<zz-injected>",
    "<style>body{}</style>",
    "<svg onload=alert(4)>",
    "</p></div>",
    '<div markdown="1">',
    "<!--",
    "]]>",
    "[clic](javascript:alert(5))",
    "![x](x.png)",
    "{{ 7*7 }}",
    "{% raw %}",
    "{#",
    "{: .x onclick=alert(6) }",
    ":material-account:",
    "`code`",
    "**gras**",
    "| a | b |",
    "# ",
    "- ",
    "1. ",
    "> ",
    "---\n",
    "title: x\n",
    "&lt;script&gt;",
    "&#60;b&#62;",
    "\n",
    "\n\n",
    "\r",
    "\x00",
    "\u202e",
    "\u200f",
    " Daech ",
    " Abou Kamal ",
    " le général Maqsoud ",
    " Bagdad. ",
    " بغداد ",
]
# Tags the templates never write (<script> is checked by its body: the map pages load scripts).
FORBIDDEN_TAGS = {"img", "iframe", "zz-injected", "style", "object", "embed"}

article_texts = st.lists(
    st.one_of(st.text(max_size=30), st.sampled_from(FRAGMENTS)), min_size=1, max_size=14
).map("".join)
suffixes = st.sampled_from([".txt", ".md", ".html"])


class Tags(HTMLParser):
    """What a browser would run or load: tags, event handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in {"href", "src"} and "javascript:" in (value or "").replace(" ", ""):
                self.found.append(f"<{tag} {name}={value}>")


def live_markup(html: str) -> list[str]:
    found = []
    for parser in (Tags(), ActiveMarkup()):  # ActiveMarkup: scripts that run `alert`
        parser.feed(html)
        parser.close()
        found += parser.found
    return found


@pytest.fixture(scope="module")
def to_html():
    """MkDocs' Markdown configuration (mkdocs.yml), without the theme around the page."""
    config = load_config(str(ROOT / "mkdocs.yml"))

    def convert(page_text: str) -> str:
        body = page_text.split("---\n", 2)[2] if page_text.startswith("---\n") else page_text
        converter = markdown.Markdown(
            extensions=config.markdown_extensions, extension_configs=config.mdx_configs
        )
        return converter.convert(body)

    return convert


def pipeline(text: str, suffix: str, nlp, folder: Path, settings_: Settings | None = None):
    """ingest -> extract -> resolve -> model -> render for one article file."""
    articles = folder / "articles"
    articles.mkdir()
    (articles / f"article{suffix}").write_bytes(text.encode("utf-8"))
    ingested = read_articles(articles)
    skipped = [p for p in ingested.problems if p.skipped]
    assert len(ingested.articles) + len(skipped) == 1  # built, or one clear line
    for problem in ingested.problems:
        assert str(problem).startswith(f"{articles / ('article' + suffix)}: ")
        assert "\n" not in str(problem)
    if not ingested.articles:
        return None
    entities = resolve(extract_mentions(ingested.articles, nlp))
    dossier = build_dossier(ingested.articles, entities, ingested.problems)
    return dossier_pages(dossier, settings_ or Settings(root=ROOT))


# The same examples on every run, nothing stored on disk, no time limit per example.
CI = settings(deadline=None, derandomize=True, database=None)


@settings(CI, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(text=article_texts, suffix=suffixes)
def test_any_article_is_built_or_reported_and_injects_no_markup(nlp, to_html, text, suffix):
    with tempfile.TemporaryDirectory() as folder:
        pages = pipeline(text, suffix, nlp, Path(folder))
        if pages is None:
            return
        write_pages(pages, Path(folder) / "content")
        for page in pages:
            if page.path.endswith(".md"):
                assert live_markup(to_html(page.text)) == [], (page.path, text)


@settings(
    CI,
    max_examples=4,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.generate],  # shrinking would rebuild the site many times
)
@given(text=article_texts)
def test_generated_pages_pass_the_strict_mkdocs_build(nlp, make_project, text):
    settings_ = make_project()
    with tempfile.TemporaryDirectory() as folder:
        pages = pipeline(text, ".md", nlp, Path(folder), settings_)
    if pages is None:
        return
    write_pages(pages, settings_.content_dir)
    build_site(settings_)  # strict: any warning (broken link, bad anchor) fails
    for path in settings_.site_dir.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert live_markup(page) == [], (path, text)


page_paths = st.lists(st.sampled_from(["people", "places", "x", "2017-03", "a.md"]), max_size=4)


@given(page_paths, page_paths)
def test_a_link_between_two_pages_is_the_one_posixpath_makes(target, page):
    """The links between pages are made without `posixpath.relpath` (it reads the working
    folder at each call), to the same target."""
    path, start = "/".join(target) or "index.md", "/".join(page) or "."
    assert urls._relpath(path, start) == posixpath.relpath(path, start)
