"""The e2e's provider pool (tests/support/provider_pool.py): real AWS provider processes, leased one command each."""

from __future__ import annotations

import json
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.provider_pool import PROVIDER, attach, provider_binary, provider_pool
from tests.support.terraform import cli_config

pytestmark = [
    pytest.mark.terraform,
    pytest.mark.skipif(provider_binary() is None, reason="no mirrored AWS provider to attach"),
]

# Prints which provider it was given and when it held it (the lease is held for as long as it runs).
RECORDING_TERRAFORM = """#!/usr/bin/env bash
start=$(date +%s.%N); sleep 1
echo "{\\"reattach\\": $TF_REATTACH_PROVIDERS, \\"start\\": $start, \\"end\\": $(date +%s.%N)}"
"""

ONE_USER = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "a"
  secret_key                  = "b"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
resource "aws_iam_user" "someone" {
  name = "someone"
}
"""


def test_commands_side_by_side_never_share_a_provider(tmp_path):
    fake = tmp_path / "fake-bin" / "terraform"
    fake.parent.mkdir()
    fake.write_text(RECORDING_TERRAFORM)
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"}
    with provider_pool(tmp_path / "pool", 2, env) as attaching:
        assert attaching is not None
        leasing = attach(env, attaching)

        def command(_: int) -> dict:
            ran = subprocess.run(["terraform", "plan"], env=leasing, capture_output=True, text=True, timeout=60)
            assert ran.returncode == 0, ran.stderr
            return json.loads(ran.stdout)

        with ThreadPoolExecutor(max_workers=3) as threads:
            runs = list(threads.map(command, range(3)))
    pids = [run["reattach"][PROVIDER]["Pid"] for run in runs]
    assert len(set(pids)) == 2, "the pool's two providers both served"
    for index, run in enumerate(runs):
        for other in runs[index + 1 :]:
            if other["reattach"] == run["reattach"]:
                assert other["start"] >= run["end"] or run["start"] >= other["end"], "one provider, two commands"
    for pid in pids:  # stopped with the pool
        deadline = time.monotonic() + 10
        while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not os.path.exists(f"/proc/{pid}"), f"provider {pid} still runs"


def test_real_terraform_plans_with_an_attached_provider(tmp_path):
    """No `terraform init` install: the attached provider answers validate and plan, and is left running."""
    (tmp_path / "main.tf").write_text(ONE_USER)
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(cli_config(tmp_path / "cli")), "TF_IN_AUTOMATION": "1"}
    with provider_pool(tmp_path / "pool", 1, env) as attaching:
        leasing = attach(env, attaching)
        for command in (["init", "-input=false"], ["validate"], ["plan", "-input=false", "-refresh=false"]):
            ran = subprocess.run(["terraform", *command, "-no-color"], cwd=tmp_path, env=leasing, capture_output=True,
                                 text=True, timeout=120)  # fmt: skip
            assert ran.returncode == 0, ran.stdout + ran.stderr
        assert "aws_iam_user.someone will be created" in ran.stdout
        reattach = json.loads((tmp_path / "pool" / "provider-0.json").read_text())
        assert os.path.exists(f"/proc/{reattach[PROVIDER]['Pid']}"), "the provider outlives the commands"
    assert not (tmp_path / ".terraform.lock.hcl").exists(), "an attached provider is not installed"
