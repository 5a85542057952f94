"""Hostile articles in a real browser: nothing from an article runs, every page renders."""

from __future__ import annotations

import pytest

from ..conftest import build_project
from .conftest import search, site_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Every payload would set window.__pwned (or open a dialog) if it ran.
LONG_TITLE = " ".join(f"mot{i:04d}" for i in range(1250))[:10_000]
HOSTILE = {
    "script.md": (
        "---\n"
        "title: \"</title><script>window.__pwned='title'</script>\"\n"
        "outlet: '<img src=x onerror=\"window.__pwned=`outlet`\">'\n"
        "author: '[auteur](javascript:window.__pwned=1)'\n"
        "url: 'javascript:window.__pwned=2'\n"
        "---\n"
        "Le général Maqsoud <script>window.__pwned='body';alert('body')</script> a parlé "
        "à Damas.\n\n"
        "<img src=x onerror=\"window.__pwned='img'\"> <svg onload=\"window.__pwned='svg'\"> "
        "<iframe src=\"javascript:window.__pwned='iframe'\"></iframe>\n\n"
        "Lire [Damas](javascript:window.__pwned='md') ou <a href=\"javascript:alert(1)\">ici</a>"
        ' et [x]: javascript:alert(2) puis ![i](x "onerror=alert(3)").\n\n'
        "Modèles : {{ 7*7 }} {% raw %} {%- endraw %} {# commentaire #} ${7*7}\n\n"
        "Bagdad est <b onmouseover=\"window.__pwned='b'\">en colère</b>.\n"
    ),
    "long-title.md": f"---\ntitle: {LONG_TITLE}\n---\nL'armée irakienne a frappé Abou Kamal.\n",
    "arabic.txt": (
        "بغداد تحت القصف\n"
        "قال حيدر العبادي إن الطائرات قصفت مواقع داعش في سوريا.\n\n"
        "\u202eLe Premier ministre Haïder al-Abadi\u202c a parlé à Bagdad.\n"
    ),
    "page.html": (
        "<html><head><title>Page <script>window.__pwned='head'</script></title>"
        "<script>window.__pwned='html'</script></head><body>"
        "<p onclick=\"window.__pwned='p'\">Le Premier ministre Haïder al-Abadi a visité Mossoul."
        "</p><p><a href=\"javascript:window.__pwned='a'\">lien</a></p></body></html>"
    ),
}

PROBE = """() => ({
    pwned: window.__pwned ?? null,
    jsLinks: [...document.querySelectorAll('[href], [src]')]
        .map(e => e.getAttribute('href') ?? e.getAttribute('src'))
        .filter(v => /^\\s*javascript:/i.test(v)),
    handlers: [...document.querySelectorAll('.md-content *')]
        .flatMap(e => [...e.attributes].map(a => a.name))
        .filter(name => name.startsWith('on')),
    heading: document.querySelector('.md-content h1')?.innerText.length ?? 0,
    overflow: document.documentElement.scrollWidth - innerWidth,
})"""


@pytest.fixture(scope="module")
def hostile_url(make_project, serve_site):
    settings = make_project(HOSTILE)
    dossier = build_project(settings)
    assert len(dossier.articles) == len(HOSTILE)
    return serve_site(settings.site_dir), site_pages(settings.site_dir)


def test_no_script_from_articles_runs_and_every_page_renders(open_page, hostile_url):
    base, pages = hostile_url
    page = open_page()
    problems = {}
    for path in pages:
        response = page.goto(base + path)
        page.wait_for_load_state("load")
        found = page.evaluate(PROBE)
        if (
            response.status != 200
            or found["pwned"]
            or found["jsLinks"]
            or found["handlers"]
            or not found["heading"]
            or found["overflow"] > 0
        ):
            problems[path] = found
    assert problems == {}
    assert page.dossier.dialogs == [] and page.dossier.errors == []
    assert not [m for m in page.dossier.console if "pwned" in m]


def test_hostile_text_is_shown_as_text(open_page, hostile_url):
    base, pages = hostile_url
    page = open_page()
    sources = [p for p in pages if p.startswith("sources/") and p != "sources/"]
    texts = []
    for path in sources:
        page.goto(base + path)
        texts.append(page.locator(".md-content").inner_text())
    shown = "\n".join(texts)
    assert "<script>window.__pwned='body'" in shown
    assert "{{ 7*7 }}" in shown and "{% raw %}" in shown
    assert "[Damas](javascript:window.__pwned='md')" in shown
    assert "بغداد تحت القصف" in shown
    assert LONG_TITLE[:200] in shown


def test_searching_hostile_text_runs_nothing(open_page, hostile_url):
    base, _ = hostile_url
    page = open_page()
    page.goto(base)
    for query in ("script", "pwned", "onerror", "javascript", "title", "العبادي", "mot0001"):
        search(page, query)
        assert page.evaluate("window.__pwned ?? null") is None, query
    assert search(page, "pwned"), "the hostile text is indexed as text"
    assert page.dossier.dialogs == [] and page.dossier.errors == []
