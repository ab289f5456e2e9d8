"""Reading deployed stacks' outputs: the file `cdktf deploy|output --outputs-file` writes (nested by stack), or
`terraform output -json` of one stack."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stackyard.config import ConfigError, StackyardConfig, exit_bad_input, load_config
from stackyard.stack_names import environment_prefix


class OutputsError(Exception):
    """The outputs file cannot be used; the message is one line saying why and what to do."""


@dataclass(frozen=True)
class StackOutputs:
    """Output values by stack; a `terraform output -json` file becomes one stack named after the file."""

    stacks: dict[str, dict[str, Any]]
    source: str

    def find(self, name: str, prefer_stack: str | None = None) -> Any | None:
        """The value of output ``name``, from ``prefer_stack`` if it has it, else from the one stack that does."""
        if prefer_stack in self.stacks and name in self.stacks[prefer_stack]:
            return self.stacks[prefer_stack][name]
        holders = [values[name] for values in self.stacks.values() if name in values]
        return holders[0] if holders else None

    def for_environment(self, environment: str) -> StackOutputs:
        """The stacks of one environment (<env>-data, ...), named as without environments (data, ...)."""
        prefix = environment_prefix(environment)
        stacks = {name.removeprefix(prefix): values for name, values in self.stacks.items() if name.startswith(prefix)}
        if not stacks:
            raise OutputsError(f"{self.source}: no stack of environment {environment!r} (no '{prefix}*' stacks)")
        return StackOutputs(stacks, f"{self.source} ({environment})")

    def require(self, name: str, prefer_stack: str | None = None) -> Any:
        value = self.find(name, prefer_stack)
        if value is None:
            where = f"stack {prefer_stack!r} of " if prefer_stack else ""
            raise OutputsError(f"{self.source}: no output {name!r} in {where}these outputs; deploy that stack first")
        return value


def read_outputs(path: Path) -> StackOutputs:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise OutputsError(f"{path}: cannot read the outputs file ({error.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise OutputsError(f"{path}: not a JSON outputs file ({error})") from None
    if not isinstance(data, dict) or not data:
        raise OutputsError(f"{path}: expected a JSON object of outputs, e.g. from `cdktf output --outputs-file`")
    if _is_terraform_output_json(data):
        stacks = {path.stem: {name: entry["value"] for name, entry in data.items()}}
    elif all(isinstance(values, dict) for values in data.values()):
        stacks = {stack: dict(values) for stack, values in data.items()}
    else:
        raise OutputsError(
            f"{path}: neither a cdktf outputs file (stack -> outputs) nor `terraform output -json` (name -> value)"
        )
    for stack, values in stacks.items():
        for name, value in values.items():
            if not _is_text(value):
                shown = json.dumps(value)
                shown = shown if len(shown) <= 40 else shown[:37] + "..."
                raise OutputsError(
                    f"{path}: output {stack}.{name} is {shown}; every output of stackyard's stacks is text or a list"
                    " of text: is it the outputs file of these stacks, edited by hand?"
                )
    return StackOutputs(stacks, str(path))


def _is_text(value: Any) -> bool:
    """What every output of the stacks is: a string or a list of strings, null where there is no value (an
    instance without a public IP, what discover did not find)."""
    return (
        value is None
        or isinstance(value, str)
        or (isinstance(value, list) and all(item is None or isinstance(item, str) for item in value))
    )


def _is_terraform_output_json(data: dict[str, Any]) -> bool:
    return all(isinstance(entry, dict) and "value" in entry and "type" in entry for entry in data.values())


def deployment_or_exit(
    outputs_file: Path, config_file: Path | None, environment: str | None
) -> tuple[StackOutputs, StackyardConfig]:
    """The outputs and the config a command works on (one environment's, when named); bad input exits 2 with
    one line (the config's problems one per line), for the commands that read a deployment."""
    try:
        outputs = read_outputs(outputs_file)
        config = load_config(config_file)
        if environment is not None:
            outputs = outputs.for_environment(environment)
            config = config.environment_config(environment)
    except (OutputsError, ValueError) as error:
        exit_bad_input(str(error))
    except ConfigError as error:
        exit_bad_input(error.render())
    return outputs, config
