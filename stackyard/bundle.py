"""`stackyard handoff bundle`: a folder an infrastructure team can take without Python - every stack as
Terraform JSON and HCL, a README for them, the recorded-values sheet, and the latest reports. Never a secret."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stackyard import handoff
from stackyard.config import StackyardConfig
from stackyard.outputs import OutputsError, StackOutputs
from stackyard.stack_names import DATA_STACK, WORKERS_STACK, PlannedStack, planned_stacks

REPO_ROOT = Path(__file__).resolve().parent.parent
# The design decisions trivy reports on the HCL, each with its reason (the same file gates `make test`).
TRIVY_IGNORES = REPO_ROOT / ".trivyignore.yaml"
REPORT_FILES = ("verify.json", "verify.xml", "verify.txt", "checkov.json", "checkov.txt", "parliament.txt")


class BundleError(Exception):
    """The bundle cannot be made; the message says why in one line."""


@dataclass(frozen=True)
class BundleSource:
    """What a bundle is made of: the config (and the file it came from, None for the embedded example), the
    deployment's outputs if any, and the folder verify/scan reports are taken from."""

    config: StackyardConfig
    config_file: Path | None
    outputs: StackOutputs | None = None
    reports_dir: Path = Path("reports")


def check_outputs_match(source: BundleSource) -> None:
    """Refuse outputs of another deployment: a stack the config does not make, or another bucket."""
    if source.outputs is None:
        return
    stacks = {stack.name: stack for stack in planned_stacks(source.config)}
    config_name = str(source.config_file) if source.config_file else "the embedded example config"
    foreign = sorted(set(source.outputs.stacks) - set(stacks))
    if foreign:
        raise BundleError(
            f"{source.outputs.source}: stack(s) {', '.join(foreign)} are not stacks of {config_name} "
            f"({', '.join(stacks)}); give the config they were deployed from with --config"
        )
    configs = dict(source.config.environment_configs())
    for name, values in source.outputs.stacks.items():
        stack = stacks[name]
        expected = configs[stack.environment].data_store.bucket_name
        if stack.kind == DATA_STACK and values.get("bucket_name") not in (None, expected):
            raise BundleError(
                f"{source.outputs.source}: stack {name} has bucket {values['bucket_name']!r}, {config_name} names "
                f"{expected!r}; give the config that deployment came from with --config"
            )


def build_bundle(out: Path, source: BundleSource) -> list[str]:
    """Write the bundle into ``out`` (new or empty); returns the relative paths written."""
    if out.exists() and any(out.iterdir()):
        raise BundleError(f"{out} is not empty; give a new folder so no stale file is handed over")
    check_outputs_match(source)
    sheet = _recorded_values_sheet(source) if source.outputs is not None else None
    stacks = planned_stacks(source.config)
    with tempfile.TemporaryDirectory(prefix="stackyard-bundle-") as scratch:
        json_out, hcl_out = Path(scratch) / "json", Path(scratch) / "hcl"
        env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
        env.pop("STACKYARD_CONFIG", None)
        if source.config_file is not None:
            env["STACKYARD_CONFIG"] = str(source.config_file.resolve())
        _synth_json(json_out, env)
        _synth_hcl(hcl_out, env)  # a clean out dir: cdktf leaves stale JSON beside HCL in a reused one
        out.mkdir(parents=True, exist_ok=True)
        for stack in stacks:
            target = out / "stacks" / stack.name
            target.mkdir(parents=True)
            shutil.copy2(json_out / "stacks" / stack.name / "cdk.tf.json", target / "cdk.tf.json")
            (target / "hcl").mkdir()
            shutil.copy2(hcl_out / "stacks" / stack.name / "cdk.tf", target / "hcl" / "main.tf")
        reports = [name for name in REPORT_FILES if (source.reports_dir / name).is_file()]
        (out / "README.md").write_text(_readme(out, stacks, sheet is not None, source, reports), encoding="utf-8")
        shutil.copy2(TRIVY_IGNORES, out / TRIVY_IGNORES.name)
    if sheet is not None:
        (out / "recorded-values.md").write_text(sheet, encoding="utf-8")
    if reports:
        (out / "reports").mkdir()
        for name in reports:
            shutil.copy2(source.reports_dir / name, out / "reports" / name)
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


def _recorded_values_sheet(source: BundleSource) -> str:
    """The seed-001 sheet of each environment whose workers stack is in the outputs, each labelled."""
    assert source.outputs is not None
    sheets = []
    for name, _ in source.config.environment_configs():
        try:
            outputs = source.outputs.for_environment(name) if name else source.outputs
        except OutputsError:
            continue  # that environment is not deployed (yet)
        if WORKERS_STACK in outputs.stacks:
            sheets.append(handoff.render_markdown(handoff.recorded_values(outputs), environment=name))
    if not sheets:
        handoff.recorded_values(source.outputs)  # raises: no workers-stack outputs, and says what to do
    return "\n".join(sheets)


def _synth_json(outdir: Path, env: dict[str, str]) -> None:
    _run([sys.executable, "main.py"], {**env, "CDKTF_OUTDIR": str(outdir)}, "python main.py")


def _synth_hcl(outdir: Path, env: dict[str, str]) -> None:
    npx = shutil.which("npx")
    if npx is None:
        raise BundleError("npx is not on PATH; the HCL comes from the pinned cdktf CLI (run `npm ci` first)")
    env = {**env, "CI": "1", "CHECKPOINT_DISABLE": "1"}
    _run([npx, "--no-install", "cdktf", "synth", "--hcl", "--output", str(outdir)], env, "cdktf synth --hcl")


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise BundleError(f"{what} failed (exit {result.returncode}): {last[0]}")


def _resources(stack_json: Path) -> dict[str, dict[str, Any]]:
    return json.loads(stack_json.read_text()).get("resource", {})


def _resource_summary(resources: dict[str, dict[str, Any]]) -> str:
    counts = Counter({kind: len(items) for kind, items in resources.items()})
    return ", ".join(f"{count} x `{kind}`" for kind, count in sorted(counts.items()))


def describe(kind: str, resources: dict[str, dict[str, Any]]) -> str:
    """What a stack holds, in words, from its synthesized resources (so it never claims what is not there)."""
    has = resources.__contains__
    parts: list[str]
    if kind == DATA_STACK:
        parts = ["private S3 data store"]
        parts += ["S3 access logs into a log bucket"] if has("aws_s3_bucket_logging") else []
        parts += ["the platform's IAM user"] + (["its access key"] if has("aws_iam_access_key") else [])
        parts += ["the multipart-upload role (seed 000)"] if has("aws_iam_role") else []
    elif kind == WORKERS_STACK:
        parts = ["hybrid-worker IAM (ValohaiWorkerRole, ValohaiMaster)"]
        parts += ["VPC, subnets, internet gateway and route table"] if has("aws_vpc") else ["your existing network"]
        parts += ["VPC flow logs"] if has("aws_flow_log") else []
        parts += ["security groups valohai-sg-workers and valohai-sg-queue"] if has("aws_security_group") else []
        parts += ["the worker-queue instance with its Elastic IP"] if has("aws_instance") else []
        parts += (
            ["the queue's Redis password secret (set by the queue at first boot) and its instance role"]
            if has("aws_secretsmanager_secret")
            else []
        )
    else:
        instances = resources.get("aws_instance", {})
        factories = max(len(instances) - 1, 0)
        parts = [f"flambé training cluster: 1 orchestrator and {factories} factor{'y' if factories == 1 else 'ies'}"]
        parts += ["idle-shutdown alarms"] if has("aws_cloudwatch_metric_alarm") else ["no idle shutdown"]
        mounts = any("s3fs" in str(body.get("user_data", "")) for body in instances.values())
        parts += ["the data bucket mounted with s3fs"] if mounts else []
    return ", ".join(parts)


def _readme(out: Path, stacks: list[PlannedStack], has_sheet: bool, source: BundleSource, reports: list[str]) -> str:
    made_from = f"`{source.config_file.name}`" if source.config_file else "the embedded example config"
    lines = [
        "# stackyard handoff bundle",
        "",
        f"Terraform for the ML platform's infrastructure, generated by stackyard from {made_from}. No Python is",
        "needed to use it: each stack is a plain Terraform root module, as JSON (`cdk.tf.json`) and as HCL",
        "(`hcl/main.tf`, the same resources). Use one of the two per stack, not both in one folder.",
        "",
        "## Stacks, in the order to apply them",
        "",
    ]
    for number, stack in enumerate(stacks, 1):
        resources = _resources(out / "stacks" / stack.name / "cdk.tf.json")
        where = f" (environment `{stack.environment}`)" if stack.environment else ""
        lines.append(
            f"{number}. `stacks/{stack.name}/`{where} - {describe(stack.kind, resources)}. "
            f"Creates: {_resource_summary(resources)}."
        )
    lines += [
        "",
        "Within an environment, `cluster` reads the `workers` stack's outputs through `terraform_remote_state`",
        "(cross-stack references), so apply `workers` before `cluster`; `data` is independent.",
        "",
        "## Apply",
        "",
        "```sh",
        "cd stacks/<stack>          # or stacks/<stack>/hcl for the HCL",
        "terraform init",
        "terraform plan -out plan.tfplan",
        "terraform apply plan.tfplan",
        "terraform output -json > outputs.json",
        "```",
        "",
        "Inputs: none. Every value (region, names, CIDRs, instance types) was fixed from the config when the",
        "bundle was made; ask for a new bundle rather than editing the files by hand.",
        "",
        "## Provider and state",
        "",
        "- Provider: `hashicorp/aws` `>= 5.100.0, < 7.0.0` (Terraform >= 1.10). Nothing else is downloaded.",
        "- Credentials come from the usual AWS chain (environment, profile, instance role).",
        "- State: the `terraform { backend ... }` block holds the backend the config chose. A `local` backend",
        "  names an absolute path on the machine that made the bundle: replace it with your own backend (for",
        "  example `s3` with `use_lockfile = true`) before the first `init`, and point the `cluster` stack's",
        "  `terraform_remote_state` at the same place.",
        "- The data store's secret access key is a sensitive output: `terraform output -raw secret_access_key`.",
        "",
        "## Scanning",
        "",
        "Scan the HCL with trivy and either format with checkov; stackyard's own build runs both and fails on any",
        "finding not listed with its reason:",
        "",
        "- trivy (0.59): `trivy config --ignorefile .trivyignore.yaml stacks/<stack>/hcl`. Not the `.tf.json`:",
        "  trivy misreads nested blocks there and reports IMDSv2, root-volume encryption, bucket encryption and",
        "  versioning as missing where they are set. `.trivyignore.yaml` lists the findings that are design",
        "  decisions of the seeds (open egress, public subnets without NAT, SSE-S3, the store user's inline",
        "  policy, seed 001's PassRole policy), each with its reason.",
        "- checkov: `checkov --framework terraform_json -d stacks` (or `--framework terraform` on the HCL).",
        "",
    ]
    if has_sheet:
        lines += [
            "`recorded-values.md` lists the values to hand to the platform's team (seed 001), one section per",
            "environment.",
            "",
        ]
    if reports:
        lines += [f"`reports/` holds the latest verification and security-scan reports: {', '.join(reports)}.", ""]
    else:
        lines += ["No verification or scan reports were found when the bundle was made.", ""]
    return "\n".join(lines)
