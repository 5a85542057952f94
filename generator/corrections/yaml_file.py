"""The corrections file as YAML: read as data, and as nodes for the line numbers that
errors give; its top level checked (a mapping of known sections). Every error in the
file is a `CorrectionsError` whose message starts with `file:line`."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

import yaml

from generator.files import read_regular_file
from generator.ingest.decode import ENCODING_NAMES, NOT_TEXT, guess_encoding


class CorrectionsError(ValueError):
    """A corrections file that cannot be applied; the message names the file and line."""


SECTIONS = {"entities", "reject", "split", "events"}


class _CorrectionsLoader(yaml.SafeLoader):
    """Safe YAML that leaves `2017-02-24` a string: dates are checked (and a wrong one
    reported with its line) by whoever reads them, instead of failing in the parser."""


_CorrectionsLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_corrections_file(path: Path) -> tuple[dict[str, Any], yaml.Node | None]:
    """The corrections file as data, and as YAML nodes for the line numbers of errors."""
    text = corrections_text(path)
    try:
        root = yaml.compose(text, Loader=_CorrectionsLoader)
        data = yaml.load(text, Loader=_CorrectionsLoader) or {}
    except (yaml.YAMLError, RecursionError) as error:
        raise yaml_error(path, error) from error
    check_text_only(root, path)
    if not isinstance(data, dict):
        raise CorrectionsError(f"{path}:1: expected a mapping with `entities` and `reject`")
    unknown = set(data) - SECTIONS
    if unknown:
        raise CorrectionsError(f"{path}:1: unknown section(s): {', '.join(sorted(unknown))}")
    return data, root


def yaml_error(path: Path, error: Exception) -> CorrectionsError:
    """`file:line: not valid YAML: what (while parsing what, line)`, on one line."""
    mark = getattr(error, "problem_mark", None)
    if not isinstance(error, yaml.MarkedYAMLError) or mark is None:
        return CorrectionsError(f"{path}: not valid YAML: {' '.join(str(error).split())}")
    context, start = error.context, error.context_mark
    where = f" ({context}, line {start.line + 1})" if context and start else ""
    return CorrectionsError(f"{path}:{mark.line + 1}: not valid YAML: {error.problem}{where}")


def corrections_text(path: Path) -> str:
    """The file as UTF-8 text; another encoding is an error that says which it looks like
    (the file is written by people: it is saved again, not guessed at each build)."""
    try:
        data = read_regular_file(path)
    except OSError as error:
        raise CorrectionsError(f"{path}: cannot be read: {error.strerror or error}") from error
    try:
        return data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        encoding = guess_encoding(data)
        looks = f", it looks like {ENCODING_NAMES.get(encoding, encoding)}" if encoding else ""
        raise CorrectionsError(
            f"{path}:{line}: not UTF-8 (byte {data[error.start]:#04x}{looks}): "
            "save the file as UTF-8"
        ) from None


def check_text_only(node: yaml.Node | None, path: Path) -> None:
    """No value holds a control character or a lone surrogate (YAML escapes such as
    `"\\ud800"` make them): pages could not be written with them."""
    stack = [node] if node is not None else []
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:  # an alias: the same node again
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            if NOT_TEXT.search(current.value):
                raise CorrectionsError(
                    f"{path}:{node_line(current, 1)}: {current.value[:40]!r} holds a control "
                    "character or an unpaired surrogate: not text"
                )
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            stack.extend(item for pair in current.value for item in pair)


def item_lines(root: yaml.Node | None, section: str) -> list[int]:
    """The line of each item of a top-level list section."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == section and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def child_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value node of a key of a mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for name, value in node.value if name.value == key), None)


def node_line(node: yaml.Node | None, default: int) -> int:
    return node.start_mark.line + 1 if node is not None else default


def key_lines(node: yaml.Node | None) -> dict[str, int]:
    """The line of each key of a mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(name.value): name.start_mark.line + 1 for name, _ in node.value}
