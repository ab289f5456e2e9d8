"""`stackyard handoff bundle`: a folder an infrastructure team can take without Python - every stack as
Terraform JSON and HCL made in bundle mode (variables for what a team sets, portable state, named wiring), example
.tfvars and backend settings, a README for them, the recorded-values sheet, and the latest reports. Never a secret,
nor a path of the machine that made it."""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stackyard import handoff
from stackyard.bundle_hcl import (
    TerraformMissing,
    backend_hcl_example,
    idiomatic_hcl,
    terraform_binary,
    terraform_fmt,
    tfvars_example,
)
from stackyard.bundle_tests import TEST_FILE, seed_tests
from stackyard.config import EMBEDDED_CONFIG, StackyardConfig, config_name
from stackyard.config.model import S3Backend
from stackyard.config.protection import BY_ADDRESS
from stackyard.diagram import FORMATS
from stackyard.draw import DrawError, draw_from_synth, require_dot
from stackyard.outputs import OutputsError, StackOutputs, mismatches
from stackyard.stack_names import CLUSTER_STACK, DATA_STACK, WORKERS_STACK, PlannedStack, planned_stacks
from stackyard.synthesis import SynthesisError, synthesize_hcl, synthesize_json

REPO_ROOT = Path(__file__).resolve().parent.parent
# The design decisions trivy reports on the HCL, each with its reason (the same file gates `make test`).
TRIVY_IGNORES = REPO_ROOT / ".trivyignore.yaml"
REPORT_FILES = (
    "verify.html",
    "verify.json",
    "verify.xml",
    "verify.txt",
    "checkov.json",
    "checkov.txt",
    "parliament.txt",
)


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
    keep_endpoint: bool = False
    """Keep the config's aws.endpoint_url (an emulator's) in the providers; else such a config is refused."""


def check_outputs_match(source: BundleSource) -> None:
    """Refuse outputs of another deployment, or missing a stack the config makes (outputs.mismatches)."""
    if source.outputs is None:
        return
    problems = mismatches(source.outputs, source.config, config_name(source.config_file))
    if problems:
        raise BundleError("\n".join(problems))


def check_no_endpoint(source: BundleSource) -> None:
    """A team applies the bundle to AWS: a provider pointed at an emulator's address would not get there."""
    if source.keep_endpoint:
        return
    named = sorted({c.aws.endpoint_url for _, c in source.config.environment_configs() if c.aws.endpoint_url})
    if named:
        raise BundleError(
            f"{config_name(source.config_file)}: aws.endpoint_url is {', '.join(named)}: the bundle's providers would "
            "talk to it, not to AWS; bundle the config of your AWS account, or pass --keep-endpoint to try the bundle "
            "on it"
        )


def build_bundle(out: Path, source: BundleSource) -> list[str]:
    """Write the bundle into ``out`` (new or empty); returns the relative paths written. It is made in a folder
    beside ``out`` and renamed to it once whole: a failure or Ctrl-C leaves no half bundle to hand over."""
    if out.exists() and any(out.iterdir()):
        raise BundleError(f"{out} is not empty; give a new folder so no stale file is handed over")
    check_outputs_match(source)
    check_no_endpoint(source)
    _check_tools()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.partial-{secrets.token_hex(4)}"
    try:
        staging.mkdir()
        written = _write_bundle(staging, source)
        if out.exists():
            out.rmdir()  # empty, checked above
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def _write_bundle(out: Path, source: BundleSource) -> list[str]:
    sheet = _recorded_values_sheet(source) if source.outputs is not None else None
    stacks = planned_stacks(source.config)
    with tempfile.TemporaryDirectory(prefix="stackyard-bundle-") as scratch:
        json_out, hcl_out, deployable_out = Path(scratch) / "json", Path(scratch) / "hcl", Path(scratch) / "plain"
        try:
            synthesize_json(json_out, source.config_file, bundle=True)
            # A clean out dir: cdktf leaves stale JSON beside HCL in a reused one.
            synthesize_hcl(hcl_out, source.config_file, bundle=True)
            synthesize_json(deployable_out, source.config_file)  # what the diagram draws: stackyard's deployment
        except SynthesisError as error:
            raise BundleError(str(error)) from None
        out.mkdir(parents=True, exist_ok=True)
        configs = dict(source.config.environment_configs())
        for stack in stacks:
            _write_stack(out / "stacks" / stack.name, json_out, hcl_out, stack.name, configs[stack.environment])
        terraform_fmt(out / "stacks")
        for environment, _ in source.config.environment_configs():
            name = "diagram" + (f"-{environment}" if environment else "")
            for fmt in FORMATS:
                draw_from_synth(deployable_out, source.config_file, environment, out / f"{name}.{fmt}")
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


def _check_tools() -> None:
    """Before anything is written: the tools the bundle is made with."""
    try:
        terraform_binary()
        require_dot()
    except (TerraformMissing, DrawError) as error:
        raise BundleError(str(error)) from None


def _write_stack(target: Path, json_out: Path, hcl_out: Path, name: str, config: StackyardConfig) -> None:
    """One stack's folder: the JSON, the HCL (in hcl/) and, beside each, the example files a team edits and the
    seeds' requirements as a `terraform test` file."""
    stack_json = json_out / "stacks" / name / "cdk.tf.json"
    (target / "hcl").mkdir(parents=True)
    shutil.copy2(stack_json, target / "cdk.tf.json")
    hcl = (hcl_out / "stacks" / name / "cdk.tf").read_text(encoding="utf-8")
    (target / "hcl" / "main.tf").write_text(idiomatic_hcl(hcl), encoding="utf-8")
    examples = {"terraform.tfvars.example": tfvars_example(json.loads(stack_json.read_text()).get("variable", {}))}
    if isinstance(config.backend, S3Backend):
        examples["backend.hcl.example"] = backend_hcl_example(config.backend, name, config.aws)
    tests = seed_tests(_resources(stack_json))
    if tests is not None:
        examples[TEST_FILE] = tests
    for folder in (target, target / "hcl"):
        for file_name, text in examples.items():
            (folder / file_name).parent.mkdir(exist_ok=True)
            (folder / file_name).write_text(text, encoding="utf-8")


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


def _wiring(out: Path, stacks: list[PlannedStack]) -> list[str]:
    """How each cluster finds its network, as its stack's variables say (nothing without a cluster)."""
    clusters = [stack for stack in stacks if stack.kind == CLUSTER_STACK]
    if not clusters:
        return []
    variables = json.loads((out / "stacks" / clusters[0].name / "cdk.tf.json").read_text())["variable"]
    lines = [
        "## Wiring between stacks",
        "",
        "The cluster takes its network as one named input, `subnet_id`; its VPC is read from that subnet, so the",
        "two cannot contradict each other.",
    ]
    if "subnet_name" not in variables:
        return [*lines, "Its default is the subnet your config names.", ""]
    workers = clusters[0].name.removesuffix(CLUSTER_STACK) + WORKERS_STACK
    return [
        *lines[:-1],
        lines[-1] + " Left empty, the subnet is found by its `Name` tag, `subnet_name` (the workers",
        "stack's first subnet, named as seed 001 names it). That way the cluster needs no access to the workers",
        "stack's state (teams keep state locked down, often per stack), and it works as well on a network built by",
        "hand with the seed's names. To pin it, take the id from the workers stack's outputs:",
        "",
        "```sh",
        f"terraform -chdir=../../{workers}/hcl output -json subnet_ids   # the first one",
        "echo 'subnet_id = \"subnet-...\"' >> terraform.tfvars",
        "```",
        "",
    ]


def _protection(out: Path, stacks: list[PlannedStack]) -> list[str]:
    """The protected resources of the bundle (prevent_destroy), and how a team tears down."""
    protected = [
        f"`{BY_ADDRESS[address].name}` ({BY_ADDRESS[address].what})"
        for stack in stacks
        for address in _prevented(out / "stacks" / stack.name / "cdk.tf.json")
        if address in BY_ADDRESS
    ]
    if not protected:
        return []
    return [
        "## Protected resources and teardown",
        "",
        "These resources hold data, traffic, identity or secrets and carry `lifecycle { prevent_destroy = true }`:",
        f"{', '.join(dict.fromkeys(protected))}. A plan that would delete or replace one (a renamed bucket, a new",
        'key pair, another VPC range) stops with "Instance cannot be destroyed" before anything changes. To let a',
        "change through, or to tear a stack down, delete that `prevent_destroy` line from the resource, in a",
        "change your team reviews, then plan again.",
        "",
    ]


def _prevented(stack_json: Path) -> list[str]:
    resources = json.loads(stack_json.read_text(encoding="utf-8")).get("resource", {})
    return [
        f"{resource_type}.{logical_id}"
        for resource_type, bodies in resources.items()
        for logical_id, body in bodies.items()
        if body.get("lifecycle", {}).get("prevent_destroy") is True
    ]


def _readme(out: Path, stacks: list[PlannedStack], has_sheet: bool, source: BundleSource, reports: list[str]) -> str:
    made_from = f"`{source.config_file.name}`" if source.config_file else EMBEDDED_CONFIG
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
    diagrams = ", ".join(
        f"`diagram{'-' + name if name else ''}.svg`" for name, _ in source.config.environment_configs()
    )
    for number, stack in enumerate(stacks, 1):
        resources = _resources(out / "stacks" / stack.name / "cdk.tf.json")
        where = f" (environment `{stack.environment}`)" if stack.environment else ""
        lines.append(
            f"{number}. `stacks/{stack.name}/`{where} - {describe(stack.kind, resources)}. "
            f"Creates: {_resource_summary(resources)}."
        )
    s3_state = isinstance(source.config.backend, S3Backend)
    lines += [
        "",
        f"{diagrams} (and `.png`) draws what the stacks make, from their Terraform: the VPC, subnets and routes,",
        "each security group with its ingress rules as arrows from where traffic may come, the instances, the",
        "buckets and the s3fs mount, and the IAM trust chain.",
        "",
        "Within an environment apply `workers` before `cluster` (the cluster runs in the workers' subnet) and, when",
        "the cluster mounts the data bucket, `data` before `cluster` too. No stack reads another's state.",
        "",
        "## Apply",
        "",
        "```sh",
        "cd stacks/<stack>/hcl                           # or stacks/<stack> for the JSON",
        "cp terraform.tfvars.example terraform.tfvars   # then change what your team sets",
        *(["cp backend.hcl.example backend.hcl             # check the state bucket and key", ""] if s3_state else []),
        "terraform init" + (" -backend-config=backend.hcl" if s3_state else ""),
        "terraform plan -out plan.tfplan",
        "terraform apply plan.tfplan",
        "terraform output -json > outputs.json",
        "```",
        "",
        "## Variables",
        "",
        "Each stack takes the values a team sets as Terraform variables: region, names and prefixes, CIDRs and the",
        "platform's addresses, instance types, disk sizes, AMIs, the platform's AssumeRole ARN and ExternalId, tags.",
        "Every variable has a type, a description and, as its default, the value of the config the bundle was made",
        "from, so with no `.tfvars` a stack plans exactly what stackyard deploys from that config. Where the rule",
        "is simple (a CIDR, a region, a name pattern) a `validation` block rejects a bad value at `plan`.",
        "`terraform.tfvars.example` (beside each stack's JSON and HCL) lists every variable with its default.",
        "",
        "What the config decided stays fixed: which stacks and resources exist, how many subnets and factories,",
        "idle timeouts. A list variable (`subnet_cidrs`, `access_cidrs`) keeps its length; its validation says so.",
        "For another shape, make a new bundle from a changed config.",
        "",
        *_wiring(out, stacks),
        *_protection(out, stacks),
        "## Provider and state",
        "",
        "- Provider: `hashicorp/aws` `>= 5.100.0, < 7.0.0` (Terraform >= 1.10). Nothing else is downloaded.",
        "- Credentials come from the usual AWS chain (environment, profile, instance role).",
        *(
            [
                '- State: a partial `backend "s3" {}`. Its settings are not in the stack: copy',
                "  `backend.hcl.example` to `backend.hcl` and run `terraform init -backend-config=backend.hcl`",
                "  (bucket, key per stack, region, `use_lockfile = true` for S3-native locking).",
            ]
            if s3_state
            else [
                "- State: local, `terraform.tfstate` in the folder you run Terraform in (no path of the machine",
                '  that made the bundle). For a team, put it in S3 instead: replace the `backend "local"` block',
                '  with `backend "s3" {}` and run `terraform init -backend-config=backend.hcl` with bucket, key,',
                "  region and `use_lockfile = true`.",
            ]
        ),
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
        "## The seeds' requirements, as Terraform tests",
        "",
        f"Each stack folder (JSON and HCL) has `{TEST_FILE}`: the seed documents' requirements on its",
        "resources, checked on a plan with a mocked AWS provider (Terraform >= 1.7; no account, no credentials):",
        "the store's public-access blocks, nothing but port 80 open to the internet, IMDSv2 and encrypted root",
        "disks. Run it in your pipeline after every edit; a failure names the requirement in words:",
        "",
        "```sh",
        "terraform init -backend=false && terraform test   # in stacks/<stack> or stacks/<stack>/hcl",
        "```",
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
