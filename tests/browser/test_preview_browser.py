"""Hover previews (generator/static/preview.js): pointing at a link to an entity or an
event page, or tabbing to it, shows that page's title and card beside the link, under
the site's Content-Security-Policy (the fixtures fail a test on any refusal)."""

from __future__ import annotations

import html
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SOURCE = "sources/000-0541c686e601ef5e/"
PREVIEW = ".dossier-preview"


def first_link(page, selector: str):
    link = page.locator(selector).first
    link.scroll_into_view_if_needed()
    return link


def preview_of(page) -> dict:
    return page.evaluate(
        """selector => { const box = document.querySelector(selector);
            return box && { title: box.querySelector('h1').textContent.trim(),
                            text: box.innerText, role: box.getAttribute('role'), id: box.id,
                            ids: box.querySelectorAll('[id]').length,
                            hrefs: [...box.querySelectorAll('a')].map(a => a.href) }; }""",
        PREVIEW,
    )


def title_of(page, url: str) -> str:
    text = page.context.request.get(url).text()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)[1]
    return html.unescape(re.sub(r"<[^>]+>", "", heading)).replace("¶", "").strip()


def test_hovering_an_entity_link_in_a_source_shows_the_entity_s_page(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url + SOURCE)
    link = first_link(page, "article a.mention.person")
    link.hover()
    page.wait_for_selector(PREVIEW, state="visible")
    preview = preview_of(page)
    href = link.evaluate("a => a.href")
    assert preview["title"] == title_of(page, href)
    assert preview["role"] == "tooltip" and link.get_attribute("aria-describedby") == preview["id"]
    assert preview["ids"] == 0  # the previewed page's ids would repeat this page's
    assert all(h.startswith(seeds_url) for h in preview["hrefs"])  # its links made absolute
    assert not page.dossier.errors

    page.mouse.move(0, 0)
    page.wait_for_selector(PREVIEW, state="detached")
    assert link.get_attribute("aria-describedby") is None


def test_an_event_link_previews_by_keyboard_and_escape_closes_it(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url + "timeline/")
    link = first_link(page, "article a[href*='events/']")
    link.focus()
    page.wait_for_selector(PREVIEW, state="visible")
    assert preview_of(page)["title"] == title_of(page, link.evaluate("a => a.href"))
    page.keyboard.press("Escape")
    page.wait_for_selector(PREVIEW, state="detached")


def test_links_to_other_pages_get_no_preview(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url + "people/ali-maqsood/")
    link = first_link(page, "article a[href*='sources/0']")  # a source page: no preview
    link.hover()
    page.wait_for_timeout(800)  # longer than the preview's delay: it would be open by now
    assert page.locator(PREVIEW).count() == 0
