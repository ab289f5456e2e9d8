"""The security gate: checkov over every synthesized stack of the default config and of the everything-on example
finds nothing beyond the suppressions in .checkov.yaml, and each of those is explained and still needed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

pytestmark = pytest.mark.slow

SUPPRESSIONS_FILE = REPO / ".checkov.yaml"
CHECKOV = Path(os.environ.get("STACKYARD_CHECKOV", REPO / ".venv-checkov" / "bin" / "checkov"))
_SUPPRESSION_LINE = re.compile(r"^\s*-\s*(?P<id>CKV\w+)\s*(#\s*(?P<reason>.*))?$")


def checkov(stacks_dir: Path, *, with_suppressions: bool, cwd: Path) -> dict:
    if not CHECKOV.exists():
        pytest.fail(f"checkov is not installed at {CHECKOV}: run `make install` (it builds .venv-checkov)")
    args = [str(CHECKOV), "-d", str(stacks_dir), "--framework", "terraform_json", "-o", "json", "--quiet"]
    args += ["--skip-download"]
    if with_suppressions:
        args += ["--config-file", str(SUPPRESSIONS_FILE)]
    # cwd matters: checkov also reads a .checkov.yaml from the working directory on its own
    done = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=300, env={**os.environ, "BC_SKIP_MAPPING": "TRUE"}
    )
    assert done.returncode in (0, 1), f"checkov crashed ({done.returncode}):\n{done.stderr[-3000:]}"
    report = json.loads(done.stdout)
    assert report["check_type"] == "terraform_json" and report["summary"]["parsing_errors"] == 0
    return report


def failures(report: dict) -> set[tuple[str, str]]:
    return {(failed["check_id"], failed["resource"]) for failed in report["results"]["failed_checks"]}


def suppressions() -> dict[str, str]:
    """check id -> the reason written beside it."""
    listed = yaml.safe_load(SUPPRESSIONS_FILE.read_text())["skip-check"]
    reasons = {}
    for line in SUPPRESSIONS_FILE.read_text().splitlines():
        match = _SUPPRESSION_LINE.match(line)
        if match:
            reasons[match["id"]] = (match["reason"] or "").strip()
    assert sorted(reasons) == sorted(listed), "every skip-check entry must be on its own '- ID  # reason' line"
    return reasons


@pytest.fixture(scope="module", params=["default", "everything-on"])
def scanned(request, default_synth, everything_on_synth, tmp_path_factory):
    synth = default_synth if request.param == "default" else everything_on_synth
    return request.param, synth.outdir / "stacks", tmp_path_factory.mktemp("checkov-cwd")


def test_generated_terraform_passes_checkov_with_the_checked_in_suppressions(scanned):
    name, stacks_dir, cwd = scanned
    report = checkov(stacks_dir, with_suppressions=True, cwd=cwd)
    assert failures(report) == set(), f"{name}: checkov findings to fix in the generated Terraform"
    assert report["summary"]["passed"] > 100, f"{name}: checkov scanned too little to mean anything"


def test_every_suppression_has_a_reason():
    for check_id, reason in suppressions().items():
        assert len(reason) >= 30, f"{check_id} in .checkov.yaml needs a comment saying why it is skipped"


def test_every_suppression_is_still_needed(default_synth, everything_on_synth, tmp_path):
    fired = set()
    for synth in (default_synth, everything_on_synth):
        report = checkov(synth.outdir / "stacks", with_suppressions=False, cwd=tmp_path)
        fired |= {check_id for check_id, _ in failures(report)}
    assert fired == set(suppressions()), "suppressions that no longer fire (remove them) or findings not listed"


def test_the_gate_catches_ssh_opened_to_the_world(default_synth, tmp_path):
    """The gate is live: one extra rule opening SSH to 0.0.0.0/0 fails it (standalone rules keep ports visible)."""
    stacks_dir = tmp_path / "stacks"
    shutil.copytree(default_synth.outdir / "stacks", stacks_dir)
    workers = stacks_dir / "workers" / "cdk.tf.json"
    body = json.loads(workers.read_text())
    (group_id,) = [name for name in body["resource"]["aws_security_group"] if "queue" in name]
    body["resource"]["aws_vpc_security_group_ingress_rule"]["ssh_from_anywhere"] = {
        "security_group_id": f"${{aws_security_group.{group_id}.id}}",
        "cidr_ipv4": "0.0.0.0/0",
        "from_port": 22,
        "to_port": 22,
        "ip_protocol": "tcp",
        "description": "a mistake",
    }
    workers.write_text(json.dumps(body))
    found = failures(checkov(stacks_dir, with_suppressions=True, cwd=tmp_path))
    assert any(check == "CKV_AWS_24" and resource.endswith(".ssh_from_anywhere") for check, resource in found), found
