"""Example values still in a config: valid, so the config loads, but not the user's own. Found three ways: the
values the embedded example marks EXAMPLE (at the same key), AWS's documentation account id, and the
documentation address ranges of RFC 5737. Each is a warning naming the field; nothing is refused."""

from __future__ import annotations

import ipaddress
from functools import cache
from typing import Any

import yaml

from stackyard.config.errors import shown
from stackyard.config.loader import default_config_text
from stackyard.config.model import StackyardConfig

EXAMPLE_MARK = "EXAMPLE"
DOCUMENTATION_ACCOUNT = "123456789012"
DOCUMENTATION_RANGES = tuple(
    ipaddress.IPv4Network(cidr) for cidr in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
)


@cache
def example_values() -> dict[str, Any]:
    """Dotted key -> value of every entry the embedded example config marks EXAMPLE on its line."""
    text = default_config_text()
    lines = text.splitlines()
    found: dict[str, Any] = {}

    def walk(node: yaml.Node, path: str) -> None:
        if not isinstance(node, yaml.MappingNode):
            return
        for key_node, value_node in node.value:
            key = f"{path}.{key_node.value}" if path else key_node.value
            if (
                EXAMPLE_MARK in lines[key_node.start_mark.line]
                and value_node.start_mark.line == key_node.start_mark.line
            ):
                found[key] = yaml.safe_load(yaml.serialize(value_node))
            walk(value_node, key)

    walk(yaml.compose(text), "")
    return found


def placeholder_warnings(config: StackyardConfig) -> list[str]:
    """One line per example value left in the config (each environment's own ones after the shared ones)."""
    shared = _warnings(config.model_dump(mode="json", exclude={"environments"}))
    warnings = list(shared)
    for name, environment in config.environment_configs():
        if name is not None:
            warnings += [
                f"environments[{name}]: {w}" for w in _warnings(environment.model_dump(mode="json")) if w not in shared
            ]
    return warnings


def _warnings(data: dict[str, Any]) -> list[str]:
    examples = example_values()
    warnings = []
    for path, value in _leaves(data, ""):
        reason = None
        if path in examples and value == examples[path]:
            reason = "the example config's value"
        elif isinstance(value, str) and DOCUMENTATION_ACCOUNT in value:
            reason = f"holds AWS's documentation account id {DOCUMENTATION_ACCOUNT}"
        elif _in_documentation_range(value):
            reason = "a documentation address range (RFC 5737) that no real network uses"
        if reason:
            warnings.append(f"{path} = {shown(value)}: {reason}; replace it with your own")
    return warnings


def _leaves(data: Any, path: str):
    """(dotted path, value) of each value that is not a mapping; a list of strings counts as one value."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, f"{path}.{key}" if path else str(key))
    elif data is not None:
        yield path, data


def _in_documentation_range(value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    for item in values:
        try:
            network = ipaddress.ip_network(str(item), strict=False)
        except ValueError:
            continue
        if any(network.version == 4 and network.subnet_of(docs) for docs in DOCUMENTATION_RANGES):
            return True
    return False
