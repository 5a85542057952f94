"""Escaping: article text made inert in Markdown and HTML, shown as written.

Characters with a meaning in Markdown, its extensions (attr_list, tables, emoji, ...)
or HTML are written as numeric character references: the browser shows the character,
Markdown sees nothing to interpret. A line that would start a list item has its marker
escaped too.
"""

from __future__ import annotations

import re

_ALWAYS = set('&<>\\`*_{}[]()#|~^$=:!"')
_ESCAPES = {ord(c): f"&#{ord(c)};" for c in _ALWAYS}
_LIST_MARKER = re.compile(r"^(?:[-+]|\d+[.)])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def md_escape(value: object) -> str:
    """A value as one line of inert text, trimmed."""
    text = _CONTROL.sub("", str(value)).replace("\n", " ").replace("\t", " ")
    text = text.strip()
    return md_escape_start(text.translate(_ESCAPES))


def escape_keep_spaces(text: str) -> str:
    """Escape a fragment of a line without trimming it (spaces around links matter)."""
    cleaned = _CONTROL.sub("", text).replace("\n", " ").replace("\t", " ")
    return cleaned.translate(_ESCAPES)


def md_escape_start(line: str) -> str:
    """Escape what would make a line a list item (`- `, `+ `, `1. `, `1) `)."""
    line = line.lstrip()
    match = _LIST_MARKER.match(line)
    if match:
        end = match.end() - 1
        return line[:end] + f"&#{ord(line[end])};" + line[end + 1 :]
    return line
