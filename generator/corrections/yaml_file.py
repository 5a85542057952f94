"""The corrections file as YAML: read as data, and as nodes for the line numbers that
errors give; its top level checked (a mapping of known sections). Every error in the
file is a `CorrectionsError` whose message starts with `file:line`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


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
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=_CorrectionsLoader)
        data = yaml.load(text, Loader=_CorrectionsLoader) or {}
    except yaml.YAMLError as error:
        raise CorrectionsError(f"{path}: not valid YAML: {' '.join(str(error).split())}") from error
    if not isinstance(data, dict):
        raise CorrectionsError(f"{path}:1: expected a mapping with `entities` and `reject`")
    unknown = set(data) - SECTIONS
    if unknown:
        raise CorrectionsError(f"{path}:1: unknown section(s): {', '.join(sorted(unknown))}")
    return data, root


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
