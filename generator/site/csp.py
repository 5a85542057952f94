"""Content-Security-Policy: every page says, in a `<meta>` at the top of its head, that
the browser runs only the site's own script files and the inline scripts the theme
wrote around the content (listed by their sha256), loads nothing from another origin
(but the map tiles mkdocs.yml may name), embeds no plugin and keeps its base URL.

So even markup that escaping missed could not run: an `onerror=` handler, a
`javascript:` link or a `<script>` in the content (the pages' own templates load
scripts by `src` only) is refused by the browser.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

from generator.web import WEB_SCHEMES

_INLINE_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_CONTENT = re.compile(r"<article\b.*?</article>", re.S | re.I)  # the page's own text
_SRC = re.compile(r"\ssrc\s*=", re.I)
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)
_HEAD = re.compile(r"<head[^>]*>", re.I)
_PLACEHOLDER = re.compile(r"\{[^}]*\}")  # `{s}` of a tile URL template


def inline_script_hashes(page: str) -> list[str]:
    """The CSP source of each distinct inline script of a page outside its content
    (`'sha256-...'`), in order."""
    hashes = []
    for script in _INLINE_SCRIPT.finditer(_CONTENT.sub("", page)):
        if _SRC.search(script["attributes"]):
            continue
        digest = hashlib.sha256(script["body"].encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return list(dict.fromkeys(hashes))


def tile_origin(template: str | None) -> str | None:
    """The origin of a map tile URL template (`https://*.tile.example.org`), if any."""
    if not template:
        return None
    parts = urlsplit(_PLACEHOLDER.sub("*", template))
    if parts.scheme not in WEB_SCHEMES or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def policy(page: str, images: str | None = None) -> str:
    scripts = " ".join(["'self'", *inline_script_hashes(page)])
    image_sources = " ".join(["'self'", "data:", *([images] if images else [])])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",  # the theme and Leaflet set style attributes
            f"img-src {image_sources}",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def with_policy(page: str, images: str | None = None) -> str:
    """The page with its policy as the first element of its head (after the charset),
    before any script; a page without a head is left as it is."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(page, images)}">'
    anchor = _CHARSET.search(page) or _HEAD.search(page)
    if anchor is None:
        return page
    return page[: anchor.end()] + "\n  " + meta + page[anchor.end() :]
