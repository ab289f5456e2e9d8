"""The stackyard config: typed model, loader and the embedded default."""

from stackyard.config.errors import EXIT_BAD_INPUT, ConfigError, exit_bad_input
from stackyard.config.loader import (
    BUNDLE_ENV_VAR,
    CONFIG_ENV_VAR,
    EMBEDDED_CONFIG,
    config_name,
    default_config_text,
    load_config,
    load_config_or_exit,
    load_default_config,
    parse_config,
    validate_config_data,
)
from stackyard.config.model import StackyardConfig

__all__ = [
    "BUNDLE_ENV_VAR",
    "CONFIG_ENV_VAR",
    "EMBEDDED_CONFIG",
    "EXIT_BAD_INPUT",
    "ConfigError",
    "StackyardConfig",
    "config_name",
    "default_config_text",
    "exit_bad_input",
    "load_config",
    "load_config_or_exit",
    "load_default_config",
    "parse_config",
    "validate_config_data",
]
