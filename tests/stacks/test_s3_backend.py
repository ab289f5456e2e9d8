"""Remote state for real: `cdktf deploy data` with `backend.type: s3` and `use_lockfile` against moto (the backend
follows `aws.endpoint_url`, as the provider does), then Terraform's S3-native lock held by one apply (waiting at its
prompt) refusing a second apply, and the state intact afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.support.aws import emulator_client
from tests.support.deployed import REGION, aws_env
from tests.support.processes import moto_server
from tests.support.terraform import cli_config

pytestmark = [pytest.mark.emulator, pytest.mark.terraform]

REPO = Path(__file__).resolve().parents[2]
STATE_BUCKET = "stackyard-state-test"
STATE_KEY = "stackyard/data.tfstate"


@dataclass
class RemoteState:
    endpoint: str
    stack_dir: Path
    env: dict[str, str]
    deploy_log: str

    def object_keys(self) -> list[str]:
        s3 = emulator_client("s3", self.endpoint, REGION)
        return [item["Key"] for item in s3.list_objects_v2(Bucket=STATE_BUCKET).get("Contents", [])]

    def state(self) -> dict:
        s3 = emulator_client("s3", self.endpoint, REGION)
        return json.loads(s3.get_object(Bucket=STATE_BUCKET, Key=STATE_KEY)["Body"].read())

    def terraform(self, *arguments: str, **options) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["terraform", *arguments, "-no-color"], cwd=self.stack_dir, env=self.env, capture_output=True, text=True,
            timeout=300, **options,
        )  # fmt: skip


@pytest.fixture(scope="module")
def remote_state(tmp_path_factory) -> Iterator[RemoteState]:
    workdir = tmp_path_factory.mktemp("s3-backend")
    with moto_server() as endpoint:
        emulator_client("s3", endpoint, REGION).create_bucket(
            Bucket=STATE_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        config = {
            "aws": {"region": REGION, "endpoint_url": endpoint},
            "backend": {"type": "s3", "bucket": STATE_BUCKET, "region": REGION, "use_lockfile": True},
            "data_store": {"bucket_name": "stackyard-remote-state-store", "tls_only": False},
            "workers": {"enabled": False},
            "cluster": {"enabled": False},
        }
        config_file = workdir / "stackyard.yaml"
        config_file.write_text(yaml.safe_dump(config))
        env = {
            **os.environ,
            **aws_env(endpoint),
            "STACKYARD_CONFIG": str(config_file),
            "TF_CLI_CONFIG_FILE": str(cli_config(workdir / "terraform")),
            "CHECKPOINT_DISABLE": "1",
            "CI": "1",
        }
        env.pop("AWS_ENDPOINT_URL")  # the backend must find the emulator through the config alone
        outdir = workdir / "cdktf.out"
        deploy = subprocess.run(
            ["npx", "--no-install", "cdktf", "deploy", "data", "--auto-approve", "--skip-provider-lock",
             "--output", str(outdir)],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert deploy.returncode == 0, deploy.stdout[-2000:] + deploy.stderr[-2000:]
        yield RemoteState(endpoint, outdir / "stacks" / "data", env, deploy.stdout)


def test_cdktf_deploy_writes_the_state_to_the_state_bucket(remote_state):
    assert remote_state.object_keys() == [STATE_KEY], "the state object, and no lock left behind"
    state = remote_state.state()
    assert any(resource["type"] == "aws_s3_bucket" for resource in state["resources"])
    assert not list(remote_state.stack_dir.glob("*.tfstate")), "no local state beside the stack"


def test_a_held_lock_refuses_a_second_apply_and_the_state_survives(remote_state):
    before = remote_state.state()
    block = next(r for r in before["resources"] if r["type"] == "aws_s3_bucket_public_access_block")
    # An apply with something to do waits at its prompt, holding the lock.
    holder = subprocess.Popen(
        ["terraform", "apply", "-input=true", "-no-color", f"-replace={block['type']}.{block['name']}"],
        cwd=remote_state.stack_dir, env=remote_state.env, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while f"{STATE_KEY}.tflock" not in remote_state.object_keys():
            assert holder.poll() is None and time.monotonic() < deadline, "the first apply never took the lock"
            time.sleep(0.5)
        second = remote_state.terraform("apply", "-auto-approve", "-input=false", "-lock-timeout=2s")
        assert second.returncode != 0
        assert "Error acquiring the state lock" in second.stderr and "PreconditionFailed" in second.stderr
    finally:
        output, _ = holder.communicate("no\n", timeout=120)
    assert "Apply cancelled" in output
    assert remote_state.object_keys() == [STATE_KEY], "the lock is released"
    after = remote_state.state()
    assert (after["serial"], after["lineage"]) == (before["serial"], before["lineage"]), "the state is untouched"
    plan = remote_state.terraform("plan", "-input=false", "-detailed-exitcode")
    assert plan.returncode == 0, plan.stdout[-1500:] + plan.stderr[-1500:]
