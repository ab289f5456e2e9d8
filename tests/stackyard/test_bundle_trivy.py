"""The second security gate: trivy 0.59 (what many infrastructure teams run) over the handoff bundle's HCL of the
default config and of the everything-on example finds nothing beyond .trivyignore.yaml, whose every entry says why
and still fires; the bundle carries that file and tells teams which format to scan with which tool."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

pytestmark = pytest.mark.slow

IGNORES = REPO / ".trivyignore.yaml"
TRIVY = Path(os.environ.get("STACKYARD_TRIVY", REPO / ".venv-trivy" / "bin" / "trivy"))


def trivy(target: Path, cache: Path, *, with_ignores: bool = True) -> list[dict]:
    """Every misconfiguration trivy reports under ``target`` (offline: the checks built into the binary)."""
    if not TRIVY.exists():
        pytest.fail(f"trivy is not installed at {TRIVY}: run `make install` (it builds .venv-trivy)")
    command = [str(TRIVY), "config", "--skip-check-update", "--cache-dir", str(cache), "--format", "json", "--quiet"]
    command += ["--ignorefile", str(IGNORES)] if with_ignores else []
    done = subprocess.run([*command, str(target)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"trivy failed ({done.returncode}):\n{done.stderr[-3000:]}"
    report = json.loads(done.stdout)
    scanned = sum(result.get("MisconfSummary", {}).get("Successes", 0) for result in report.get("Results", []))
    assert scanned > 20, f"trivy passed only {scanned} checks under {target}: it scanned too little to mean anything"
    return [
        {"id": found["AVDID"], "file": result["Target"], "resource": found["CauseMetadata"].get("Resource")}
        for result in report.get("Results", [])
        for found in result.get("Misconfigurations") or []
    ]


def hcl_only(bundle: Path, into: Path) -> Path:
    """The bundle's HCL (stacks/<stack>/hcl/main.tf) without its JSON twins: what the README says to scan."""
    for main in (bundle / "stacks").glob("*/hcl/main.tf"):
        target = into / main.relative_to(bundle)
        target.parent.mkdir(parents=True)
        shutil.copy2(main, target)
    return into


def ignored() -> dict[str, str]:
    """id -> statement, from .trivyignore.yaml."""
    entries = yaml.safe_load(IGNORES.read_text())["misconfigurations"]
    return {entry["id"]: entry.get("statement", "") for entry in entries}


def test_the_bundles_hcl_passes_trivy_with_the_checked_in_ignores(bundle, tmp_path):
    assert trivy(hcl_only(bundle, tmp_path / "hcl"), tmp_path / "cache") == []


def test_every_ignore_has_a_reason():
    for finding, statement in ignored().items():
        assert len(statement) >= 60, f"{finding} in .trivyignore.yaml needs a statement saying why it is ignored"


def test_every_ignore_still_fires(make_bundle, tmp_path):
    fired = set()
    for name in ("default", "everything-on"):
        workdir = tmp_path / name
        found = trivy(hcl_only(make_bundle(name), workdir / "hcl"), workdir / "cache", with_ignores=False)
        fired |= {finding["id"] for finding in found}
    assert fired == set(ignored()), "ignores that no longer fire (remove them) or findings not listed"


def test_the_gate_is_live_ssh_from_anywhere_fails_it(bundle, tmp_path):
    hcl = hcl_only(bundle, tmp_path / "hcl")
    workers = hcl / "stacks" / "workers" / "hcl" / "main.tf"
    (group,) = [line.split('"')[3] for line in workers.read_text().splitlines() if "security_groups_queue_" in line
                and line.startswith('resource "aws_security_group"')]  # fmt: skip
    workers.write_text(
        workers.read_text()
        + f"""
resource "aws_vpc_security_group_ingress_rule" "ssh_from_anywhere" {{
  security_group_id = aws_security_group.{group}.id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 22
  to_port           = 22
  ip_protocol       = "tcp"
  description       = "a mistake"
}}
"""
    )
    found = trivy(hcl, tmp_path / "cache")
    assert {finding["resource"] for finding in found} == {"aws_vpc_security_group_ingress_rule.ssh_from_anywhere"}


def test_the_bundle_carries_the_ignores_and_says_which_format_to_scan(bundle):
    assert (bundle / ".trivyignore.yaml").read_bytes() == IGNORES.read_bytes()
    readme = (bundle / "README.md").read_text()
    assert "trivy config --ignorefile .trivyignore.yaml stacks/<stack>/hcl" in readme
    assert "Not the `.tf.json`" in readme


def test_trivy_misreads_the_json_as_the_bundle_readme_says(bundle, tmp_path):
    """Why the README sends trivy to the HCL: on the JSON it reports IMDSv2 missing on instances whose
    cdk.tf.json requires it."""
    stacks = tmp_path / "json"
    for stack in (bundle / "stacks").iterdir():
        (stacks / stack.name).mkdir(parents=True)
        shutil.copy2(stack / "cdk.tf.json", stacks / stack.name / "cdk.tf.json")
    instances = json.loads((stacks / "workers" / "cdk.tf.json").read_text())["resource"]["aws_instance"]
    assert {body["metadata_options"]["http_tokens"] for body in instances.values()} == {"required"}
    found = trivy(stacks, tmp_path / "cache")
    assert any(f["id"] == "AVD-AWS-0028" and f["file"] == "workers/cdk.tf.json" for f in found), found
