"""Reading the sample dossier in the browser: links to paragraphs and back, no request
to another host, dark mode, the site without JavaScript, and screenshots for review."""

from __future__ import annotations

import re

import pytest

from .conftest import PageLog, screenshot, search, site_pages, watch

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ENTITY = "people/ali-maqsood/"
SOURCE = "sources/000-0541c686e601ef5e/"


def target_paragraph(page) -> dict:
    return page.evaluate(
        """() => { const t = document.querySelector(':target');
            if (!t) return null;
            const box = t.getBoundingClientRect();
            return { id: t.id, cls: t.className, text: t.innerText,
                     visible: box.top >= 0 && box.top < innerHeight,
                     links: [...t.querySelectorAll('a.mention')].map(a => a.pathname) }; }"""
    )


def test_mention_link_opens_its_paragraph_and_links_back(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url + ENTITY)
    quote = page.locator("blockquote a[href*='sources/']").nth(1)
    href = quote.get_attribute("href")
    paragraph = re.search(r"#p(\d+)$", href or "")
    assert paragraph, href
    quote.click()
    page.wait_for_url(f"**/{SOURCE}#p{paragraph.group(1)}")
    target = target_paragraph(page)
    assert target["id"] == f"p{paragraph.group(1)}"
    assert "dossier-paragraph" in target["cls"] and target["visible"]
    assert "Maqsoud" in target["text"]  # the quoted mention is in that paragraph
    assert f"/{ENTITY}" in target["links"]

    page.locator(f":target a.mention[href$='{ENTITY}']").first.click()
    page.wait_for_url(f"**/{ENTITY}")
    assert "Ali Maqsood" in page.locator("h1").inner_text()


def test_no_request_leaves_the_machine(open_page, seeds_url, seeds_site):
    settings, _ = seeds_site
    page = open_page()
    # one page of each kind: pages of a kind share their template and assets
    kinds = {(path.split("/")[0], path.count("/")): path for path in site_pages(settings.site_dir)}
    assert len(kinds) >= 10
    for path in [*sorted(kinds.values()), "404.html"]:
        page.goto(seeds_url + path)
        page.wait_for_load_state("load")
    for query in ("Mossoul", "frappe", "etat islamique"):
        assert search(page, query)
    # the fixture fails the test on any request that left 127.0.0.1; make sure it saw them all
    seen = page.dossier.requests
    assert any(url.endswith("search_index.json") for url in seen)
    assert any(url.endswith("search/lunr_index.json") for url in seen)  # by the search worker
    assert any("/search/text/" in url for url in seen)  # the text of the results
    assert not [url for url in seen if "/assets/javascripts/workers/" in url]  # 404 included
    assert any(url.endswith("/dossier.css") for url in seen)


def test_the_request_recorder_catches_other_hosts(browser):
    context = browser.new_context()
    log = PageLog()
    watch(context, log)
    page = context.new_page()
    page.set_content('<img src="http://tracker.invalid/pixel.gif"><p>x</p>')
    page.wait_for_load_state("load")
    context.close()
    assert log.external == ["http://tracker.invalid/pixel.gif"]


def background_is_dark(page) -> bool:
    rgb = page.evaluate(
        r"""() => { // the first opaque background behind the article text
            for (let e = document.querySelector('.md-content'); e; e = e.parentElement) {
                const colour = getComputedStyle(e).backgroundColor;
                if (!/^rgba\(.*, 0\)$|transparent/.test(colour)) return colour;
            }
            return getComputedStyle(document.documentElement).backgroundColor; }"""
    )
    red, green, blue = (int(x) for x in re.findall(r"\d+", rgb)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) < 80


def test_dark_mode_toggle_switches_and_persists(open_page, seeds_url):
    page = open_page(color_scheme="light")
    page.goto(seeds_url + ENTITY)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    assert not background_is_dark(page)
    page.locator("label[title='Mode sombre']").click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    assert background_is_dark(page)
    page.goto(seeds_url + SOURCE)  # the choice is kept from page to page
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert background_is_dark(page)


def test_dark_mode_follows_the_system_setting(open_page, seeds_url):
    page = open_page(color_scheme="dark")
    page.goto(seeds_url)
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    assert background_is_dark(page)


def test_site_reads_without_javascript(open_page, seeds_url):
    page = open_page(java_script_enabled=False)
    page.goto(seeds_url)
    assert page.evaluate("1") == 1  # evaluate still works: Playwright's own, not the page's
    assert "Dossier" in page.locator("h1").inner_text()
    page.locator(".md-content a[href$='people/']").first.click()
    page.wait_for_url("**/people/")
    page.locator(f"a[href$='{ENTITY.split('/')[1]}/']").first.click()
    page.wait_for_url(f"**/{ENTITY}")
    card = page.locator(".dossier-card--person")
    assert card.is_visible() and card.locator(".dossier-card__kind svg").is_visible()
    facts = card.inner_text()
    assert "2 mentions" in facts and "général Maqsoud" in facts and "Souvent avec" in facts
    assert page.locator("blockquote mark").count() >= 1
    page.locator("blockquote a[href*='sources/']").first.click()
    page.wait_for_url(re.compile(r".*/sources/[^/]+/#p\d+$"))
    assert target_paragraph(page)["visible"]
    colours = page.evaluate(
        """() => ['person', 'place', 'organisation'].map(kind => getComputedStyle(
            document.querySelector(`.dossier-paragraph a.mention.${kind}`)).backgroundColor)"""
    )
    assert len(set(colours)) == 3 and "rgba(0, 0, 0, 0)" not in colours, colours


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_for_review(open_page, seeds_url, scheme):
    page = open_page(color_scheme=scheme)
    shots = {"home": "", "entity": ENTITY, "source": SOURCE, "paragraph": SOURCE + "#p3"}
    for name, path in shots.items():
        page.goto(seeds_url + path)
        assert screenshot(page, f"{name}-{scheme}").stat().st_size > 10_000
    page.goto(seeds_url)
    assert search(page, "abadi")
    assert screenshot(page, f"search-{scheme}").stat().st_size > 10_000


def test_home_page_tells_the_story_and_where_to_start(open_page, seeds_url):
    page = open_page()
    page.goto(seeds_url)
    lede = page.locator(".md-content p.dossier-lede").inner_text()
    assert lede.startswith("Ce dossier rassemble 2 articles.")
    assert "du 16 février 2017 au 24 février 2017" in lede  # the events' dates
    assert "les organisations les plus citées, Daech" in lede  # Daech: the most mentioned
    events = page.locator("h2:has-text('Les principaux événements') + ul > li").all_inner_texts()
    assert events[0].startswith("16 février 2017 — Attentat ou attaque")
    disputes = page.locator("h2:has-text('Où les sources divergent') + ul").inner_text()
    assert "52 morts selon" in disputes and "39 morts selon RT France" in disputes
    start = page.locator("h2:has-text('Par où commencer') + ul a")
    hrefs = [start.nth(i).get_attribute("href") for i in range(start.count())]
    assert {"timeline/", "map/", "network/", "sources/"} <= set(hrefs)
    page.locator("h2:has-text('Où les sources divergent') + ul a[href*='events/']").first.click()
    box = page.locator(".admonition.warning")
    assert "52 morts" in box.inner_text() and "39 morts" in box.inner_text()
