"""Reading a config file into the typed model, with errors a person can act on."""

from __future__ import annotations

import os
import types
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from stackyard.config import bounded_yaml
from stackyard.config.errors import ConfigError, describe_error, exit_bad_input
from stackyard.config.model import CROSS_SECTION_RULES, StackyardConfig, environment_data

CONFIG_ENV_VAR = "STACKYARD_CONFIG"
BUNDLE_ENV_VAR = "STACKYARD_BUNDLE"
"""Set to 1 (or `python main.py --bundle`): synthesize in bundle mode, as `stackyard handoff bundle` does."""


EMBEDDED_CONFIG = "the embedded example config"


def config_name(config_file: str | os.PathLike[str] | None) -> str:
    """How messages name a config: its file, else the embedded example."""
    return str(config_file) if config_file else EMBEDDED_CONFIG


def default_config_text() -> str:
    """The embedded example config, comments included."""
    return resources.files("stackyard.config").joinpath("default.yaml").read_text(encoding="utf-8")


def parse_config(text: str, source: str) -> StackyardConfig:
    """Parse YAML text and validate it; raises ConfigError naming every bad field."""
    try:
        data = bounded_yaml.safe_load(text)
    except bounded_yaml.TooLarge as error:
        raise ConfigError(source, [f"{error}: is it the right file?"]) from None
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
    except ValidationError:
        raise ConfigError(source, every_problem(data)) from None


def every_problem(data: dict[str, Any]) -> list[str]:
    """Every problem of the config data, one line each: what pydantic finds, then what it never reaches once a
    field fails: the cross-section rules over the sections that are valid, and each environment's overrides."""
    try:
        StackyardConfig.model_validate(data)
        problems = []
    except ValidationError as error:
        problems = [describe_error(item, StackyardConfig) for item in error.errors()]
    for problem in [*_cross_section_problems(data), *_environment_problems(data)]:
        if problem not in problems:
            problems.append(problem)
    return problems


def _cross_section_problems(data: dict[str, Any]) -> list[str]:
    data = StackyardConfig.with_sections_present(data)
    valid: dict[str, Any] = {}
    for name in {name for rule in CROSS_SECTION_RULES for name in rule.sections}:
        field = StackyardConfig.model_fields[name]
        if name not in data and field.is_required():
            continue  # reported as missing already
        try:
            value = data[name] if name in data else field.get_default(call_default_factory=True)
            valid[name] = TypeAdapter(field.annotation).validate_python(value)
        except ValidationError:
            continue  # that section's own problems are reported already
    problems = []
    for rule in CROSS_SECTION_RULES:
        if all(name in valid for name in rule.sections):
            problem = rule.check(types.SimpleNamespace(**{name: valid[name] for name in rule.sections}))
            if problem:
                problems.append(problem)
    return problems


def _environment_problems(data: dict[str, Any]) -> list[str]:
    environments = data.get("environments")
    if not isinstance(environments, list) or not environments:
        return []
    base = {key: value for key, value in data.items() if key != "environments"}
    shared = set(every_problem(base))  # reported once, not again for every environment
    problems = []
    for index, environment in enumerate(environments):
        if not isinstance(environment, dict) or not isinstance(environment.get("overrides") or {}, dict):
            continue  # reported by the model already
        for problem in every_problem(environment_data(base, environment)):
            if problem not in shared:
                problems.append(f"environments: [{index}] {environment.get('name')}: {problem}")
    return problems


def load_default_config() -> StackyardConfig:
    return parse_config(default_config_text(), "embedded default config")


def load_config(path: str | os.PathLike[str] | None = None) -> StackyardConfig:
    """Load ``path``, else the file named by $STACKYARD_CONFIG, else the embedded default."""
    path = path or os.environ.get(CONFIG_ENV_VAR) or None
    if path is None:
        return load_default_config()
    file = Path(path)
    try:
        if file.is_file() and file.stat().st_size > bounded_yaml.MAX_BYTES:  # not read: it could be gigabytes
            limit = f"{file.stat().st_size:,} bytes; a config is a few KB (limit {bounded_yaml.MAX_BYTES:,})"
            raise ConfigError(str(file), [f"the file is {limit}: is it the right file?"])
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
