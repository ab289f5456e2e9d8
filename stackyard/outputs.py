"""Reading deployed stacks' outputs: the file `cdktf deploy|output --outputs-file` writes (nested by stack), or
`terraform output -json` of one stack."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stackyard.config import ConfigError, StackyardConfig, config_name, exit_bad_input, load_config
from stackyard.stack_names import STACK_ORDER, environment_prefix, planned_stacks


class OutputsError(Exception):
    """The outputs file cannot be used; the message is one line saying why and what to do."""


@dataclass(frozen=True)
class StackOutputs:
    """Output values by stack; a `terraform output -json` file becomes one stack named after the file."""

    stacks: dict[str, dict[str, Any]]
    source: str
    named: bool = True
    """False for `terraform output -json` of one stack: its stack is not known (named after the file)."""
    path: str = ""
    """The file read, when there is one."""

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
        return StackOutputs(stacks, f"{self.source} ({environment})", self.named, self.path)

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
    return StackOutputs(stacks, str(path), named=not _is_terraform_output_json(data), path=str(path))


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


def mismatches(
    outputs: StackOutputs, config: StackyardConfig, label: str, needed: tuple[str, ...] = STACK_ORDER
) -> list[str]:
    """Why these outputs are not of this config's deployment, one line each (none when they are): a stack the
    config does not make; a stack of kind ``needed`` it makes that has no outputs, in an environment that has some;
    values the config names otherwise (region, bucket, store user, platform role, account)."""
    planned = {stack.name: stack for stack in planned_stacks(config)}
    configs = dict(config.environment_configs())
    source, problems = outputs.source, []
    if outputs.named:
        foreign = sorted(set(outputs.stacks) - set(planned))
        if foreign:
            problems.append(
                f"{source}: stack(s) {', '.join(foreign)} are not stacks of {label} "
                f"({', '.join(planned) or 'none'}); give the config they were deployed from with --config"
            )
        deployed = {planned[name].environment for name in outputs.stacks if name in planned} | (
            set() if config.environments else {None}
        )
        missing = [
            name
            for name, stack in planned.items()
            if stack.kind in needed and stack.environment in deployed and not outputs.stacks.get(name)
        ]
        if missing:
            problems.append(
                f"{source}: no outputs of stack(s) {', '.join(missing)}, which {label} makes; deploy them and "
                f"write every stack's outputs (`stackyard deploy --outputs-file {source}`, or `npx cdktf output "
                f"{' '.join(planned)} --outputs-file {source}`)"
            )
        compared = [
            (name, values, configs[planned[name].environment])
            for name, values in outputs.stacks.items()
            if name in planned
        ]
    elif len(configs) == 1:
        compared = [(name, values, config) for name, values in outputs.stacks.items()]
    else:
        compared = []  # one unnamed stack and several environments: which one it is is not known
    for stack, values, expected in compared:
        problems += [
            f"{source}: stack {stack} {difference}; {_ANOTHER}" for difference in _differences(values, expected, label)
        ]
    return problems


_ANOTHER = "are these the outputs of another deployment? Give its config with --config, or this one's outputs"


def _differences(values: dict[str, Any], config: StackyardConfig, label: str) -> list[str]:
    """Output values that contradict what the config names."""
    named = {
        "region": ("aws.region", config.aws.region),
        "bucket_name": ("data_store.bucket_name", config.data_store.bucket_name),
        "user_name": ("data_store.user_name", config.data_store.user_name),
    }
    found = []
    for output, (key, expected) in named.items():
        if values.get(output) not in (None, expected):
            found.append(f"has {output} {values[output]!r} where {label} has {key} {expected!r}")
    role = values.get("master_role_arn")
    if role and role.rpartition("/")[2] != config.workers.master_role_name:
        found.append(
            f"has master_role_arn {role!r} where {label} has workers.master_role_name "
            f"{config.workers.master_role_name!r}"
        )
    account = config.aws.account_id
    # The account field of an ARN (empty for S3's, "aws" for AWS-managed policies: no account to compare).
    fields = {value.split(":")[4] for value in _texts(values) if value.startswith("arn:") and value.count(":") >= 5}
    arns = sorted(fields - {"", "aws"})
    if account and arns and arns != [account]:
        found.append(f"has ARNs in account(s) {', '.join(arns)} where {label} has aws.account_id {account!r}")
    return found


def _texts(values: dict[str, Any]) -> list[str]:
    return [text for value in values.values() for text in (value if isinstance(value, list) else [value]) if text]


def deployment_or_exit(
    outputs_file: Path, config_file: Path | None, environment: str | None, needed: tuple[str, ...] = STACK_ORDER
) -> tuple[StackOutputs, StackyardConfig]:
    """The outputs and the config a command works on (one environment's, when named), refused unless the outputs
    are of that config's deployment with every stack of kind ``needed``; bad input exits 2 with one line per
    problem, for the commands that read a deployment."""
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
    problems = mismatches(outputs, config, config_name(config_file), needed)
    if problems:
        exit_bad_input("\n".join(problems))
    return outputs, config
