"""The hover previews of an offline site (`dossier build --offline`).

Online, `preview.js` fetches the linked page and reads its title and card. A page opened
from its files may not fetch (Chromium refuses `fetch()` under file://), nor read the
document of a frame it loads (each file is an origin of its own). So the offline build
writes, beside each page that gets previews, a script twin of its lede (`preview.js`,
`urls.preview_twin`): the page's `<h1>` and what follows it up to the next heading
beside it, as the built page has them. `preview.js` loads that script on demand and
reads it as it reads a fetched page.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from generator.site import urls

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_VOID = {
    *("area", "base", "br", "col", "embed", "hr", "img", "input"),
    *("link", "meta", "source", "track", "wbr"),
}
_ARTICLE = re.compile(r"<article\b")
_CHUNK = 16_384  # characters read at a time
CALLBACK = "dossierPreviewPage"  # what a twin calls (generator/static/preview.js)


class _Lede(HTMLParser):
    """Finds, in a page, where its article's `<h1>` starts and where the elements beside
    it end: at the next heading beside it, or at the end of their parent."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.in_article = False
        self.title_depth: int | None = None
        self.start: tuple[int, int] | None = None
        self.end: tuple[int, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.end is not None:
            return
        if tag == "article":
            self.in_article = True
        if self.title_depth is None:
            if tag == "h1" and self.in_article:
                self.title_depth, self.start = self.depth, self.getpos()
        elif self.depth == self.title_depth and tag in _HEADINGS:
            self.end = self.getpos()
        if tag not in _VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.end is not None or tag in _VOID:
            return
        self.depth -= 1
        if self.title_depth is not None and self.depth < self.title_depth:
            self.end = self.getpos()


def page_lede(html: str) -> str | None:
    """The page's article title and the elements after it up to the next heading beside
    it, as a fragment of the page's own HTML; None for a page without one."""
    article = _ARTICLE.search(html)
    if article is None:
        return None
    html = html[article.start() :]  # the theme's header and navigation need not be read
    parser = _Lede()
    for at in range(0, len(html), _CHUNK):  # nor what follows the lede in a long page
        parser.feed(html[at : at + _CHUNK])
        if parser.end is not None:
            break
    if parser.start is None:
        return None
    lines = [0]  # where each line starts; the parser counts lines by "\n" only
    for line in html.split("\n"):
        lines.append(lines[-1] + len(line) + 1)
    start = lines[parser.start[0] - 1] + parser.start[1]
    end = lines[parser.end[0] - 1] + parser.end[1] if parser.end else len(html)
    return html[start:end].strip()


def preview_twin(page_url: str, html: str) -> str | None:
    """The script twin of an offline page's preview: `dossierPreviewPage(page, html)`,
    the page named by its file (`people/x/index.html`), relative to the site root."""
    lede = page_lede(html)
    if lede is None:
        return None
    page = json.dumps(urls.offline_url(page_url))
    fragment = json.dumps(f"<article>{lede}</article>")
    return f"{CALLBACK}({page}, {fragment});\n"
