"""The handoff sheet: what seed 001's conclusion says to record and share with the platform's team."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stackyard.outputs import OutputsError, StackOutputs
from stackyard.stack_names import WORKERS_STACK


@dataclass(frozen=True)
class RecordedValue:
    label: str
    output: str
    only_when_deployed: bool = False
    """Left off the sheet when the deployment has no such output (a feature the config does not use)."""


# Seed 001, "Conclusion", in its order. Only these outputs are read: nothing secret can reach the sheet.
RECORDED_VALUES = (
    RecordedValue("Region", "region"),
    RecordedValue("ValohaiMaster role ARN", "master_role_arn"),
    RecordedValue("VPC ID", "vpc_id"),
    RecordedValue("Subnet names", "subnet_names"),
    RecordedValue("Subnet IDs", "subnet_ids"),
    RecordedValue("Public IP of the queue instance", "queue_public_ip"),
    RecordedValue("Private IP of the queue instance", "queue_private_ip"),
    RecordedValue("Name of the EC2 key pair", "key_pair_name"),
    # A queue the customer installs (seed 001's other option): where it is and where its password is.
    RecordedValue("DNS name of the queue", "queue_address", only_when_deployed=True),
    RecordedValue("Secret holding the Redis password", "queue_password_secret_arn", only_when_deployed=True),
)
NOT_RECORDED = "(not in the outputs)"


def recorded_values(outputs: StackOutputs) -> dict[str, Any]:
    """Output name -> value for every recorded value; None where the deployment has no such output."""
    if outputs.find("master_role_arn", WORKERS_STACK) is None:
        raise OutputsError(
            f"{outputs.source}: no workers-stack outputs (master_role_arn, vpc_id, ...); deploy the workers stack "
            "and write its outputs with --outputs-file"
        )
    values = {item.output: outputs.find(item.output, WORKERS_STACK) for item in RECORDED_VALUES}
    return {
        item.output: values[item.output]
        for item in RECORDED_VALUES
        if values[item.output] is not None or not item.only_when_deployed
    }


def render_markdown(values: dict[str, Any], environment: str | None = None) -> str:
    """The sheet; with an environment, its title says which one."""
    title = "# Hybrid workers: recorded values" + (f" of environment `{environment}`" if environment else "")
    lines = [
        title,
        "",
        "Share these with your Valohai contact through the Vault credentials they provided (seed 001).",
        "",
        "| what | value |",
        "|------|-------|",
    ]
    for item in RECORDED_VALUES:
        if item.output in values:
            lines.append(f"| {item.label} | {_cell(values[item.output])} |")
    lines += [
        "",
        "The key pair's private key is not in this sheet: share it separately, and only if Valohai installs the "
        "worker queue for you.",
    ]
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return NOT_RECORDED
    if isinstance(value, list):
        return ", ".join(f"`{item}`" for item in value)
    return f"`{value}`"
