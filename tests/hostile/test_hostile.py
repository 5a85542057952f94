"""Article text is data: hostile articles are built into a site that shows them as text."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from ..conftest import build_project

pytestmark = pytest.mark.slow

HOSTILE = {
    "script.md": (
        "---\ntitle: \"</title><script>alert('titre')</script>\"\noutlet: '<b>média</b>'\n---\n"
        "Le général <script>alert(1)</script> Maqsoud a parlé à Damas.\n\n"
        '<img src=x onerror="alert(2)"> [clic](javascript:alert(3)) et {{ 7*7 }} {% raw %}\n\n'
        "# Pas un titre\n\n- pas une liste\n\n| a | b |\n|---|---|\n| c | d |\n"
    ),
    "arabic.txt": "بغداد تحت القصف\nقال حيدر العبادي إن الطائرات قصفت مواقع داعش في سوريا.",
}


@pytest.fixture(scope="module")
def hostile_site(make_project):
    settings = make_project(HOSTILE)
    return settings, build_project(settings)


def all_html(settings):
    return {p: p.read_text(encoding="utf-8") for p in settings.site_dir.rglob("*.html")}


SCHEMES = ("javascript:", "data:", "vbscript:")  # URLs that run or carry a document


class ActiveMarkup(HTMLParser):
    """Collects what a browser would run: script bodies, on* handlers, javascript: (data:,
    vbscript:) URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in {"href", "src"} and (value or "").strip().lower().startswith(SCHEMES):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert" in data:
            self.found.append(f"<script>{data[:60]}")


def test_no_script_from_articles_reaches_the_html(hostile_site):
    settings, _ = hostile_site
    for path, text in all_html(settings).items():
        parser = ActiveMarkup()
        parser.feed(text)
        assert parser.found == [], path


def test_hostile_text_is_shown_as_text(hostile_site):
    settings, dossier = hostile_site
    slug = next(a.slug for a in dossier.articles if a.filename == "script.md")
    page = (settings.site_dir / "sources" / slug / "index.html").read_text(encoding="utf-8")
    assert "&#60;script&#62;" in page or "&lt;script&gt;" in page
    assert "&#123;&#123; 7&#42;7 &#125;&#125;" in page or "{{ 7*7 }}" in page
    assert "<title>&lt;/title&gt;&lt;script&gt;" in page


def test_arabic_article_is_built(hostile_site):
    settings, dossier = hostile_site
    slug = next(a.slug for a in dossier.articles if a.filename == "arabic.txt")
    page = (settings.site_dir / "sources" / slug / "index.html").read_text(encoding="utf-8")
    assert "بغداد تحت القصف" in page
