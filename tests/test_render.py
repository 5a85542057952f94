"""Render: escaping and links, on small inputs."""

import html
import re
from pathlib import Path

import pytest

from generator.model import build_dossier
from generator.site.escape import md_escape
from generator.site.render import render_pages
from generator.site.urls import relative_link
from tests.factories import article as make_article

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "[clic](javascript:alert(1))",
        "{{ 7 * 7 }} {% if true %}x{% endif %}",
        "**gras** _it_ `code` # titre | a | b |",
        "<img src=x onerror=alert(1)>",
        ":material-alert: {: #id .class }",
    ],
)
def test_escaped_text_has_no_markup_left(hostile):
    escaped = md_escape(hostile)
    assert html.unescape(escaped) == hostile  # the reader sees exactly the text
    bare = re.sub(r"&#\d+;", "", escaped)
    for char in "<>[]{}()*_`#|:&":
        assert char not in bare


def test_list_markers_at_line_start_are_escaped():
    assert md_escape("- a").startswith("&#45;")
    assert md_escape("1. a").startswith("1&#46;")
    assert md_escape("2017 a commencé") == "2017 a commencé"


def test_relative_links_between_content_pages():
    assert relative_link("sources/a.md#p2", "people/x.md") == "../sources/a.md#p2"
    assert relative_link("people/x.md", "index.md") == "people/x.md"
    assert relative_link("people/x.md", "people/index.md") == "x.md"


def test_hostile_article_text_is_rendered_as_text():
    article = make_article(
        "{% raw %} <b>b</b> [a](b) ![i](x.png)",
        slug="evil",
        title="<script>alert('t')</script> {{ x }}",
        outlet="[o](javascript:x)",
    )
    pages = render_pages(build_dossier([article], []), ROOT / "site_templates")
    page = next(p for p in pages if p.path == "sources/evil.md")
    assert "<script>" not in page.text and "<b>" not in page.text
    assert "[o](" not in page.text and "![i](" not in page.text
    assert "&#123;&#123; x &#125;&#125;" in page.text  # Jinja in the title stays text
    assert "title: '&lt;script&gt;" in page.text  # front matter title is HTML-escaped
