"""YAML read with limits: a config or adoption file is a few KB and a few hundred values. Without limits, aliases of
aliases ("billion laughs": 80 aliases, 43 million values once expanded) or a file of many megabytes make every
command that loads it hang for minutes while it validates and renders the values."""

from __future__ import annotations

from typing import Any

import yaml

MAX_BYTES = 1_000_000
MAX_VALUES = 100_000
"""Values of the document with every alias expanded (the embedded example config has ~250)."""


class TooLarge(ValueError):
    """The text or what it expands to is beyond the limits; the message says which and by how much."""


class _BoundedLoader(yaml.SafeLoader):
    def construct_document(self, node: yaml.Node) -> Any:
        values = expanded_size(node)
        if values > MAX_VALUES:
            raise TooLarge(
                f"the YAML expands to more than {MAX_VALUES:,} values (aliases of aliases?); a config has a few hundred"
            )
        return super().construct_document(node)


def expanded_size(root: yaml.Node) -> int:
    """How many values the document holds with every alias expanded, counted without expanding them (an alias is
    the node it names: its size is known once)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        if id(node) not in sizes:
            sizes[id(node)] = 1  # a recursive alias counts once
            if isinstance(node, yaml.SequenceNode):
                sizes[id(node)] = 1 + sum(size(item) for item in node.value)
            elif isinstance(node, yaml.MappingNode):
                sizes[id(node)] = 1 + sum(size(key) + size(value) for key, value in node.value)
        return sizes[id(node)]

    return size(root)


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` within the limits: TooLarge beyond them, yaml.YAMLError for what is not YAML."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise TooLarge(f"the file is {len(text.encode('utf-8')):,} bytes; a config is a few KB (limit {MAX_BYTES:,})")
    try:
        return yaml.load(text, Loader=_BoundedLoader)  # a SafeLoader that counts what aliases expand to
    except RecursionError:
        raise TooLarge("the YAML is nested too deeply to be a config") from None
