"""Run the real Terraform CLI on synthesized stacks, with the AWS provider from a local mirror when there is one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

MIRROR_ENV_VAR = "STACKYARD_TF_PLUGIN_MIRROR"
DEFAULT_MIRROR = Path("/opt/tf-plugins")


def plugin_mirror() -> Path | None:
    """$STACKYARD_TF_PLUGIN_MIRROR, else /opt/tf-plugins when it exists; None means download as usual."""
    configured = os.environ.get(MIRROR_ENV_VAR)
    if configured:
        return Path(configured)
    return DEFAULT_MIRROR if DEFAULT_MIRROR.is_dir() else None


def cli_config(workdir: Path) -> Path:
    """A Terraform CLI config: install from the mirror (if any) and share one plugin cache per session."""
    cache = workdir / "plugin-cache"
    cache.mkdir(parents=True, exist_ok=True)
    lines = [f'plugin_cache_dir = "{cache}"']
    mirror = plugin_mirror()
    if mirror is not None:
        lines += [
            "provider_installation {",
            f'  filesystem_mirror {{\n    path = "{mirror}"\n    include = ["registry.terraform.io/hashicorp/*"]\n  }}',
            '  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }',
            "}",
        ]
    path = workdir / "terraform.tfrc"
    path.write_text("\n".join(lines) + "\n")
    return path


class Terraform:
    """`terraform` in one working directory, with a given CLI config."""

    def __init__(self, workdir: Path, cli_config_file: Path, binary: str | None = None):
        self.workdir = workdir
        self.binary = binary or shutil.which("terraform") or "terraform"
        self.env = {**os.environ, "TF_CLI_CONFIG_FILE": str(cli_config_file), "TF_IN_AUTOMATION": "1"}
        self.env.pop("TF_DATA_DIR", None)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [self.binary, *args, "-no-color"], cwd=self.workdir, env=self.env, capture_output=True, text=True
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"terraform {' '.join(args)} failed in {self.workdir}:\n{result.stderr}{result.stdout}"
            )
        return result

    def attach(self, attaching: Path | None) -> None:
        """The commands from now on attach a provider of the pool (tests/support/provider_pool.py)."""
        from tests.support.provider_pool import attach  # it reads this module's mirror

        self.env = attach(self.env, attaching)
        self.binary = shutil.which("terraform", path=self.env["PATH"]) or self.binary

    def init_without_backend(self) -> None:
        self.run("init", "-backend=false", "-input=false")

    def validate(self) -> dict:
        return json.loads(self.run("validate", "-json", check=False).stdout)


# What moto reports differently from AWS, so that a plan right after apply shows it as a change. Every other
# planned change fails the idempotence step. (moto 5.2: group-referenced ingress rules come back as
# "<account>/sg-..." without their description; instances launched with a network interface have no
# security groups recorded.)
EMULATOR_DRIFT = {
    "aws_vpc_security_group_ingress_rule": {"referenced_security_group_id", "description"},
    "aws_instance": {"vpc_security_group_ids"},
}


# What LocalStack 4.7 misreports (LocalStack's EC2 is moto's): moto's two, seen in some runs and not others, and,
# also in some runs, no tags on CloudWatch alarms, so the provider plans to put the default tags back on them.
LOCALSTACK_DRIFT = {**EMULATOR_DRIFT, "aws_cloudwatch_metric_alarm": {"tags_all"}}


def drift_beyond_emulator(plan: dict, known: dict[str, set[str]] | None = None) -> list[str]:
    """Every planned change of a `terraform show -json` plan that the emulator's known misreports (default:
    moto's, EMULATOR_DRIFT) do not explain, one line each."""
    known = EMULATOR_DRIFT if known is None else known
    drift = []
    for change in plan.get("resource_changes", []):
        actions = change["change"]["actions"]
        if actions in (["no-op"], ["read"]):
            continue
        changed = changed_attributes(change["change"])
        if actions != ["update"] or not changed <= known.get(change["type"], set()):
            drift.append(f"{change['address']} {actions} {sorted(changed)}")
    return drift


def changed_attributes(change: dict) -> set[str]:
    before, after = change.get("before") or {}, change.get("after") or {}
    unknown = change.get("after_unknown") or {}
    return {key for key in set(before) | set(after) if before.get(key) != after.get(key) or unknown.get(key) is True}
