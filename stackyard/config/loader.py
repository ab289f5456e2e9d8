"""Reading a config file into the typed model, with errors a person can act on."""

from __future__ import annotations

import difflib
import os
import re
import sys
import types
import typing
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

import yaml
from pydantic import BaseModel, ValidationError

from stackyard.config.model import StackyardConfig

CONFIG_ENV_VAR = "STACKYARD_CONFIG"
EXIT_BAD_INPUT = 2
MESSAGE_LIMIT = 500
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_:/=+@-][A-Za-z0-9_.:/=+@-]{0,63}$")
_FIELD_PREFIX = re.compile(r"^(?P<field>[a-z_][a-z_.]*): (?P<reason>.*)$", re.DOTALL)


class ConfigError(Exception):
    """A config that cannot be used; ``problems`` holds one line per bad field."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"{self.source}: invalid stackyard config ({len(self.problems)} problem(s)):"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


def default_config_text() -> str:
    """The embedded example config, comments included."""
    return resources.files("stackyard.config").joinpath("default.yaml").read_text(encoding="utf-8")


def parse_config(text: str, source: str) -> StackyardConfig:
    """Parse YAML text and validate it; raises ConfigError naming every bad field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        raise ConfigError(source, [f"{where}not valid YAML ({reason})"]) from None
    return validate_config_data(data, source)


def validate_config_data(data: Any, source: str) -> StackyardConfig:
    if not isinstance(data, dict):
        raise ConfigError(source, ["the file must be a YAML mapping of sections (aws, tags, data_store, ...)"])
    try:
        return StackyardConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(source, [describe_error(item) for item in error.errors()]) from None


def load_default_config() -> StackyardConfig:
    return parse_config(default_config_text(), "embedded default config")


def load_config(path: str | os.PathLike[str] | None = None) -> StackyardConfig:
    """Load ``path``, else the file named by $STACKYARD_CONFIG, else the embedded default."""
    path = path or os.environ.get(CONFIG_ENV_VAR) or None
    if path is None:
        return load_default_config()
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(str(file), [f"cannot read the file ({error.strerror}); check the path"]) from None
    except UnicodeDecodeError:
        raise ConfigError(str(file), ["the file is not UTF-8 text"]) from None
    return parse_config(text, str(file))


def load_config_or_exit(path: str | os.PathLike[str] | None = None) -> StackyardConfig:
    """``load_config`` for entry points: a bad config prints its problems and exits 2, with no traceback."""
    try:
        return load_config(path)
    except ConfigError as error:
        exit_bad_input(error.render())


def exit_bad_input(message: str) -> NoReturn:
    print(message, file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


def describe_error(error: dict[str, Any]) -> str:
    """One line: field path, the bad value, and what is allowed."""
    location = _dotted(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(error["loc"][:-1])
        hint = ""
        close = difflib.get_close_matches(str(error["loc"][-1]), allowed, n=1)
        if close:
            hint = f" (did you mean {close[0]!r}?)"
        return f"{location}: unknown key{hint}; allowed keys here: {', '.join(allowed) or 'none'}"
    if kind == "missing":
        return f"{location}: required but missing; add it to the config"
    if kind == "union_tag_invalid":
        ctx = error["ctx"]
        return f"{location}.type = {_shown(ctx['tag'])}: not a known kind; use one of {ctx['expected_tags']}"
    if kind == "union_tag_not_found":
        return f"{location}.type: required but missing; say which kind, e.g. type: local"
    message = error["msg"].removeprefix("Value error, ")
    field_first = _FIELD_PREFIX.match(message)
    if error["type"] == "value_error" and field_first:
        # a cross-field rule of a section, written "field: reason": report it at that field
        field = field_first["field"] if not error["loc"] else f"{location}.{field_first['field']}"
        return f"{field}: {field_first['reason']}"
    if message.startswith("Input should"):  # pydantic's built-in wording
        message = "input s" + message.removeprefix("Input s")
    if len(message) > MESSAGE_LIMIT:  # a validator that echoed a huge input
        message = message[: MESSAGE_LIMIT - 3] + "..."
    return f"{location} = {_shown(error.get('input'))}: {message}"


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
            parts.append(f"[{_shown(part, 40)}]")  # a key of the user's own: empty, spaces, unicode, huge
    return "".join(parts) or "(top level)"


def _shown(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys the model accepts at ``loc`` (a path to a mapping), for the unknown-key hint."""
    model: Any = StackyardConfig
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
