"""Reading a config file into the typed model, with errors a person can act on."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from stackyard.config.errors import ConfigError, describe_error, exit_bad_input
from stackyard.config.model import StackyardConfig

CONFIG_ENV_VAR = "STACKYARD_CONFIG"


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
        raise ConfigError(source, [describe_error(item, StackyardConfig) for item in error.errors()]) from None


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
