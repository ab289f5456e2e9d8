"""Config errors in the project's own words: one line per bad field, naming the field, the value and the fix.

Kept apart from the model and the loader so both can use it: the model reports an environment's problems with
it, the loader every other problem; neither imports the other for it."""

from __future__ import annotations

import difflib
import re
import sys
import types
import typing
from typing import Any, NoReturn

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from stackyard.config import patterns

EXIT_BAD_INPUT = 2
MESSAGE_LIMIT = 500
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_:/=+@-][A-Za-z0-9_.:/=+@-]{0,63}$")
_FIELD_PREFIX = re.compile(r"^(?P<field>[a-z_][a-z0-9_.]*): (?P<reason>.*)$", re.DOTALL)


class ConfigError(Exception):
    """A config that cannot be used; ``problems`` holds one line per bad field."""

    def __init__(self, source: str, problems: list[str], kind: str = "stackyard config"):
        self.source = source
        self.problems = problems
        self.kind = kind
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"{self.source}: invalid {self.kind} ({len(self.problems)} problem(s)):"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


RULE_ERROR = "config_rule"


def raise_every_problem(model: str, *problems: str | None) -> None:
    """From a model validator: raise every broken rule ("field: reason" each) at once; pydantic would stop at the
    first ValueError. Does nothing when every problem is None."""
    found = [problem for problem in problems if problem]
    if found:
        errors = [PydanticCustomError(RULE_ERROR, "{problem}", {"problem": problem}) for problem in found]
        raise ValidationError.from_exception_data(model, [{"type": e, "loc": (), "input": None} for e in errors])


def exit_bad_input(message: str) -> NoReturn:
    print(message, file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


def describe_error(error: dict[str, Any], root: type[BaseModel]) -> str:
    """One line: field path, the bad value, and what is allowed (``root`` is the model that was validated)."""
    location = _dotted(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root, error["loc"][:-1])
        hint = ""
        close = difflib.get_close_matches(str(error["loc"][-1]), allowed, n=1)
        if close:
            hint = f" (did you mean {close[0]!r}?)"
        return f"{location}: unknown key{hint}; allowed keys here: {', '.join(allowed) or 'none'}"
    if kind == "missing":
        return f"{location}: required but missing; add it to the config"
    if kind == "union_tag_invalid":
        ctx = error["ctx"]
        return f"{location}.type = {shown(ctx['tag'])}: not a known kind; use one of {ctx['expected_tags']}"
    if kind == "union_tag_not_found":
        return f"{location}.type: required but missing; say which kind, e.g. type: local"
    message = error["msg"].removeprefix("Value error, ")
    field_first = _FIELD_PREFIX.match(message)
    if kind in ("value_error", RULE_ERROR) and field_first:
        # a cross-field rule of a section, written "field: reason": report it at that field
        field = field_first["field"] if not error["loc"] else f"{location}.{field_first['field']}"
        return f"{field}: {field_first['reason']}"
    if kind == "string_pattern_mismatch":
        expected = patterns.expected_for(error.get("ctx", {}).get("pattern", ""))
        message = f"not {expected}" if expected else message
    if message.startswith("Input should"):  # pydantic's built-in wording
        message = "input s" + message.removeprefix("Input s")
    if len(message) > MESSAGE_LIMIT:  # a validator that echoed a huge input
        message = message[: MESSAGE_LIMIT - 3] + "..."
    return f"{location} = {shown(error.get('input'))}: {message}"


def _dotted(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part == "[key]":
            parts.append(" (the key)")
        elif part in ("local", "s3") and parts and parts[-1] == "backend":
            continue  # the discriminated-union tag pydantic inserts; the user never wrote it
        elif isinstance(part, str) and _PLAIN_KEY.match(part):
            parts.append(("." if parts else "") + part)
        else:
            parts.append(f"[{shown(part, 40)}]")  # a key of the user's own: empty, spaces, unicode, huge
    return "".join(parts) or "(top level)"


def shown(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _allowed_keys(root: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the model accepts at ``loc`` (a path to a mapping), for the unknown-key hint."""
    model: Any = root
    for part in loc:
        model = _unwrap(model)
        if isinstance(part, int):
            args = typing.get_args(model)
            model = args[0] if args else None
        elif isinstance(model, type) and issubclass(model, BaseModel) and part in model.model_fields:
            model = model.model_fields[part].annotation
        else:
            # discriminator tag (e.g. backend's "s3"): pick the union member whose type literal matches
            members = [m for m in typing.get_args(model) if isinstance(m, type) and issubclass(m, BaseModel)]
            matches = [m for m in members if m.model_fields.get("type") and m.model_fields["type"].default == part]
            model = matches[0] if matches else (members[-1] if members else None)
    model = _unwrap(model)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated[...] and Optional[...] down to the type that carries fields."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return _unwrap(args[0])
    return annotation
