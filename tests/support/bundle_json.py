"""Reading bundle-mode stacks back: their variables replaced by the variables' defaults, so a bundle stack can be
compared with the stack a normal synth makes from the same config."""

from __future__ import annotations

import json
import re
from typing import Any

# A reference to a variable or one element of a list variable, as bundle mode writes them.
VARIABLE_REFERENCE = re.compile(r"\$\{var\.(\w+)(?:\[(\d+)\])?\}")


def with_defaults(stack: dict[str, Any]) -> dict[str, Any]:
    """The stack with every ``${var.x}`` / ``${var.x[i]}`` replaced by that variable's default: a string that is
    exactly one reference takes the default's own type (a number stays a number), one inside text its JSON text."""
    defaults = {name: body["default"] for name, body in stack.get("variable", {}).items()}

    def default_of(match: re.Match[str]) -> Any:
        value = defaults[match.group(1)]
        return value if match.group(2) is None else value[int(match.group(2))]

    def substitute(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: substitute(value) for key, value in node.items()}
        if isinstance(node, list):
            return [substitute(value) for value in node]
        if isinstance(node, str):
            whole = VARIABLE_REFERENCE.fullmatch(node)
            if whole:
                return default_of(whole)
            return VARIABLE_REFERENCE.sub(lambda match: _as_text(default_of(match)), node)
        return node

    return substitute({key: value for key, value in stack.items() if key != "variable"})


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
