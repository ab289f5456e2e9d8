"""`stackyard discover`: input checking and wiring between the CLI and the finders."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from stackyard.config import ConfigError, exit_bad_input, load_config
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.runner import discover
from stackyard.discovery.reporters import FORMATS, RENDERERS


@dataclass
class DiscoverOptions:
    config: Path | None = None
    environment: str | None = None
    profile: str | None = None
    out: Path | None = None
    format: str = "table"


def run_discover(options: DiscoverOptions) -> int:
    """Find what exists, print the report, write the outputs file; exit 0, 1 (ambiguous or errors), 2 bad input."""
    if options.format not in RENDERERS:
        exit_bad_input(f"--format {options.format!r}: use one of {', '.join(FORMATS)}")
    try:
        config = load_config(options.config)
        if options.environment is not None:
            config = config.environment_config(options.environment)
    except ConfigError as error:
        exit_bad_input(error.render())
    except ValueError as error:
        exit_bad_input(str(error))
    report = discover(DiscoveryContext(config, options.profile), options.environment)
    sys.stdout.write(RENDERERS[options.format](report))
    if options.out is not None:
        options.out.parent.mkdir(parents=True, exist_ok=True)
        options.out.write_text(json.dumps(report.outputs(), indent=2) + "\n", encoding="utf-8")
        print(f"discover: wrote the found values to {options.out} (for `stackyard verify --outputs`)", file=sys.stderr)
    return report.exit_code
