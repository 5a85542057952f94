"""Web addresses: which URLs from an article or the corrections file may be published."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


def is_web_url(url: str) -> bool:
    """An http(s) address with a host: never `javascript:`, `data:`, `vbscript:`, a file
    path or a relative link, which a browser would run or resolve against the site."""
    if _SPACE_OR_CONTROL.search(url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # `http://[::1` and other malformed addresses
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(host)
