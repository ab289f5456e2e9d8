"""The Terraform CLI in one synthesized stack's folder, as `cdktf deploy|destroy` runs it (init, plan, apply)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

PLAN_FILE = "stackyard.tfplan"
# What an apply or destroy says as it goes: "x: Creating...", "x: Destruction complete after 1s", the totals.
PROGRESS = re.compile(r"(: (Creating|Modifying|Destroying|Importing)\.\.\.|complete after|complete! Resources)")


class TerraformError(Exception):
    """A Terraform command failed; the message names the stack, the command and Terraform's own error lines."""


class TerraformMissing(TerraformError):
    """No terraform on PATH."""


def terraform_env() -> dict[str, str]:
    """The caller's environment; where nothing configures a plugin cache, one shared cache, so that the provider is
    downloaded once rather than into every stack folder stackyard plans in."""
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    if (
        not any(key in env for key in ("TF_PLUGIN_CACHE_DIR", "TF_CLI_CONFIG_FILE"))
        and not (Path.home() / ".terraformrc").exists()
    ):
        cache = Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "stackyard" / "terraform-plugins"
        cache.mkdir(parents=True, exist_ok=True)
        env["TF_PLUGIN_CACHE_DIR"] = str(cache)
    return env


class StackFolder:
    """`terraform` in ``folder`` (a synthesized stack: cdk.tf.json and its backend)."""

    def __init__(self, stack: str, folder: Path, binary: str | None = None):
        self.stack = stack
        self.folder = folder
        self.binary = binary or shutil.which("terraform") or ""
        if not self.binary:
            raise TerraformMissing("terraform is not on PATH; install Terraform >= 1.10 (cdktf runs it too)")
        self.env = terraform_env()
        self._initialized = False

    def run(self, *args: str, stream: bool = False) -> subprocess.CompletedProcess[str]:
        """Run one command; ``stream`` prints its progress lines (not the plan it prints again) as they come."""
        words = 2 if args[0] == "state" else 1  # flags go after the (sub)command, before its arguments
        command = [self.binary, *args[:words], "-no-color", *args[words:]]
        # umask 077: the local state and its backup hold the store user's secret key, readable by their owner only
        with subprocess.Popen(
            command,
            cwd=self.folder,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            umask=0o077,
        ) as process:
            assert process.stdout is not None and process.stderr is not None
            errors: list[str] = []
            reader = threading.Thread(target=lambda: errors.extend(process.stderr), daemon=True)  # type: ignore[arg-type]
            reader.start()
            lines = []
            for line in process.stdout:
                lines.append(line)
                if stream and PROGRESS.search(line):
                    print(f"  {self.stack}: {line.strip()}", flush=True)
            reader.join()
            stderr = "".join(errors)
        result = subprocess.CompletedProcess(command, process.returncode, "".join(lines), stderr)
        if result.returncode != 0:
            lines = [line for line in (result.stderr or result.stdout or "").splitlines() if line.strip()]
            detail = "\n".join(f"    {line}" for line in _error_lines(lines)[-12:]) or "    (no output)"
            raise TerraformError(f"{self.stack}: terraform {args[0]} failed (exit {result.returncode}):\n{detail}")
        return result

    def init(self) -> None:
        if not self._initialized:
            self.run("init", "-input=false")
            self._initialized = True

    def plan(self) -> dict[str, Any]:
        """The plan as `terraform show -json` has it; the plan file stays for `apply_plan` (it can hold secrets:
        it lives in stackyard's private scratch folder, removed afterwards)."""
        self.init()
        self.run("plan", "-input=false", f"-out={PLAN_FILE}")
        return json.loads(self.run("show", "-json", PLAN_FILE).stdout)

    def apply_plan(self) -> None:
        """Apply exactly the plan last made here (Terraform refuses it when the state changed since)."""
        try:
            self.run("apply", "-input=false", PLAN_FILE, stream=True)
        finally:
            (self.folder / PLAN_FILE).unlink(missing_ok=True)

    def destroy(self) -> None:
        self.init()
        self.run("destroy", "-input=false", "-auto-approve", stream=True)

    def outputs(self) -> dict[str, Any]:
        """Every output's value, sensitive ones included (what `cdktf deploy --outputs-file` writes with
        --outputs-file-include-sensitive-outputs)."""
        self.init()
        shown = json.loads(self.run("output", "-json").stdout)
        return {name: entry["value"] for name, entry in shown.items()}

    def state_resources(self) -> list[dict[str, Any]]:
        """The managed resources in the state (`terraform show -json`): address, type and attribute values."""
        self.init()
        shown = json.loads(self.run("show", "-json").stdout)
        resources = shown.get("values", {}).get("root_module", {}).get("resources", [])
        return [resource for resource in resources if resource.get("mode") == "managed"]

    def forget(self, addresses: list[str]) -> None:
        """Take resources out of the state, leaving them in AWS as they are."""
        if addresses:
            self.init()
            self.run("state", "rm", *addresses)


def _error_lines(lines: list[str]) -> list[str]:
    """Terraform's error block when there is one (from its first "Error:"), else every line."""
    for index, line in enumerate(lines):
        if "Error:" in line:
            return lines[index:]
    return lines
