"""The bundle's Terraform text as a Terraform team writes it: HCL without interpolation-only strings, formatted by
`terraform fmt`, and the example files (`terraform.tfvars.example`, `backend.hcl.example`) a team copies and edits."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from stackyard.config.model import AwsSettings, S3Backend
from stackyard.config.s3_state import backend_arguments

# A string literal that is nothing but one interpolation of an expression without strings or braces:
# "${aws_instance.x.id}" -> aws_instance.x.id (what `terraform fmt` already does for a whole attribute value, but
# not inside lists and maps).
INTERPOLATION_ONLY = re.compile(r'"\$\{([^{}"$%]+)\}"')
HEREDOC_START = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_]*)\s*$")
# Lists of references (depends_on, lifecycle): Terraform >= 0.12 wants them bare ("ami" is a deprecated quoted
# reference).
REFERENCE_LIST_START = re.compile(r"^\s*(depends_on|ignore_changes|replace_triggered_by)\s*=\s*\[\s*$")
QUOTED_NAME = re.compile(r'^(\s*)"([A-Za-z_][\w.\[\]]*)"(,?)\s*$')
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class TerraformMissing(Exception):
    """No terraform binary to format the bundle with."""


def idiomatic_hcl(hcl: str) -> str:
    """cdktf's HCL, tidied outside heredocs (a heredoc is text: a policy document's "${...}" stays): every
    ``"${expression}"`` unwrapped, references in depends_on and lifecycle lists unquoted, and no blank line
    before a closing brace (`backend "s3" {}` on one line)."""
    lines: list[str] = []
    heredoc_end = None
    in_reference_list = False
    for line in hcl.splitlines():
        if heredoc_end is not None:
            if line.strip() == heredoc_end:
                heredoc_end = None
            lines.append(line)
            continue
        if in_reference_list:
            in_reference_list = line.strip() != "]"
            lines.append(QUOTED_NAME.sub(r"\1\2\3", line))
            continue
        in_reference_list = bool(REFERENCE_LIST_START.match(line))
        if line.strip() == "}":
            while lines and not lines[-1].strip():
                lines.pop()
            if lines and lines[-1].rstrip().endswith("{"):
                lines[-1] = lines[-1].rstrip() + "}"
                continue
        opened = HEREDOC_START.search(line)
        lines.append(INTERPOLATION_ONLY.sub(r"\1", line))
        heredoc_end = opened.group(1) if opened else None
    return "\n".join(lines) + "\n"


def terraform_binary() -> str:
    """The terraform on PATH; TerraformMissing when there is none."""
    terraform = shutil.which("terraform")
    if terraform is None:
        raise TerraformMissing("terraform is not on PATH; the bundle's HCL is formatted with `terraform fmt`")
    return terraform


def terraform_fmt(*paths: Path) -> None:
    """`terraform fmt` each file or folder (recursively), in place."""
    terraform = terraform_binary()
    for path in paths:
        result = subprocess.run(
            [terraform, "fmt", "-no-color", *(["-recursive"] if path.is_dir() else []), str(path)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise ValueError(f"terraform fmt {path}: {(result.stderr or result.stdout).strip()}")


def hcl_value(value: Any) -> str:
    """A JSON value (a variable's default) written as HCL."""
    if isinstance(value, dict):
        items = [
            f"{key if IDENTIFIER.match(key) else json.dumps(key)} = {hcl_value(item)}" for key, item in value.items()
        ]
        return "{\n" + "".join(f"  {item}\n" for item in items) + "}" if items else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(hcl_value(item) for item in value) + "]"
    return json.dumps(value)


def tfvars_example(variables: dict[str, dict[str, Any]]) -> str:
    """Every variable with its description and its default (the config's value), formatted by terraform fmt."""
    blocks = [
        f"# {body.get('description', name)} ({body['type']})\n{name} = {hcl_value(body.get('default'))}\n"
        for name, body in sorted(variables.items())
    ]
    header = (
        "# Copy to terraform.tfvars and change what your team sets; every value here is the default the bundle\n"
        "# was made with, so an unchanged copy plans exactly what the generated stack plans.\n\n"
    )
    return _formatted(header + "\n".join(blocks))


def backend_hcl_example(backend: S3Backend, stack: str, aws: AwsSettings) -> str:
    """The settings of the stack's partial `backend "s3" {}`, for `terraform init -backend-config=backend.hcl`:
    the config's bucket, the stack's key, region and locking, and what follows the provider (profile, an emulator's
    endpoint)."""
    settings = {
        "bucket": backend.bucket,
        "key": backend.key.format(stack=stack),
        "region": backend.region,
        "encrypt": backend.encrypt,
        "use_lockfile": backend.use_lockfile,  # S3-native locking (Terraform >= 1.10), no DynamoDB table
        **backend_arguments(aws),
    }
    lines = [f"{name} = {hcl_value(value)}" for name, value in settings.items()]
    header = "# Copy to backend.hcl, check, then: terraform init -backend-config=backend.hcl\n"
    return _formatted(header + "\n".join(lines) + "\n")


def _formatted(text: str) -> str:
    """Both example files are attribute assignments: terraform fmt formats them as a .tfvars file."""
    with tempfile.TemporaryDirectory(prefix="stackyard-fmt-") as scratch:
        path = Path(scratch) / "example.tfvars"
        path.write_text(text, encoding="utf-8")
        terraform_fmt(path)
        return path.read_text(encoding="utf-8")
