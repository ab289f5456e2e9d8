"""`stackyard store speed` as a user runs it, against the deployment in a real moto_server: seed 003's tables and
JSON with sane numbers, nothing left behind (no object version, no open upload) after a normal run, after a failed
one and after a real SIGINT in the middle of an upload; bad input exits 2."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from stackyard.speed.core.sizes import parse_sizes
from tests.support.aws import emulator_client
from tests.support.cli import REPO_ROOT
from tests.support.deployed import REGION, aws_env
from tests.support.processes import set_moto_auth, silent_endpoint


def store_speed(deployed, *arguments: str, popen: bool = False):
    env = {**os.environ, **aws_env(deployed.endpoint)}
    del env["AWS_ENDPOINT_URL"]  # the config's aws.endpoint_url names moto
    command = [
        sys.executable, "-m", "stackyard.cli", "store", "speed",
        "--outputs", str(deployed.outputs_file), "--config", str(deployed.config_file), *arguments,
    ]  # fmt: skip
    if popen:
        return subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    return subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)


def left_under(deployed, prefix: str = "stackyard-speed/") -> tuple[int, int]:
    """(object versions and delete markers, open multipart uploads) under the prefix."""
    s3 = emulator_client("s3", deployed.endpoint, REGION)
    bucket = deployed.outputs()["data"]["bucket_name"]
    versions = s3.list_object_versions(Bucket=bucket, Prefix=prefix)
    uploads = s3.list_multipart_uploads(Bucket=bucket, Prefix=prefix).get("Uploads", [])
    return len(versions.get("Versions", [])) + len(versions.get("DeleteMarkers", [])), len(uploads)


def test_json_report_has_every_size_both_ways_and_leaves_nothing(deployed):
    result = store_speed(deployed, "--sizes", "1KiB,24MiB", "--runs", "2", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    rows = {(m["direction"], m["size_bytes"]): m for m in report["measurements"]}
    assert sorted(rows) == sorted((d, s) for d in ("upload", "download") for s in parse_sizes("1KiB,24MiB"))
    for row in rows.values():
        assert len(row["raw_s"]) == 2 and all(0 < seconds < 60 for seconds in row["raw_s"])
        assert 0 < row["overhead_s"] < 5 and row["time_s"] == pytest.approx(
            max(row["median_raw_s"] - row["overhead_s"], 0), abs=1e-3
        )
    big = rows[("upload", 24 * 2**20)]
    assert big["mib_per_s"] == pytest.approx(24 / big["time_s"], rel=0.01) and big["mib_per_s"] > 1
    assert report["left_behind"] == 0 and report["prefix"].startswith("stackyard-speed/")
    assert left_under(deployed) == (0, 0)


def test_table_is_seed_003s_with_raw_and_overhead(deployed):
    result = store_speed(deployed, "--sizes", "1KiB,8MiB")
    assert result.returncode == 0, result.stderr
    assert "Upload to the store" in result.stdout and "Download from the store" in result.stdout
    for heading in ("File Size", "Time (sec)", "Transfer Rate", "Raw time (sec)", "Overhead (sec)"):
        assert heading in result.stdout
    assert "8 MiB" in result.stdout and "MiB/sec" in result.stdout
    assert result.stdout.rstrip().endswith(": 0")
    assert left_under(deployed) == (0, 0)


def test_a_real_sigint_in_the_middle_of_an_upload_leaves_nothing(deployed):
    process = store_speed(deployed, "--sizes", "1GiB,2GiB", popen=True)
    s3 = emulator_client("s3", deployed.endpoint, REGION)
    bucket = deployed.outputs()["data"]["bucket_name"]
    deadline = time.monotonic() + 60
    while not s3.list_multipart_uploads(Bucket=bucket, Prefix="stackyard-speed/").get("Uploads"):
        assert time.monotonic() < deadline and process.poll() is None, "the big upload never started"
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "this run moves 3 GiB up and the same down; S3 charges for transfer" in stderr, "said before moving"
    assert "interrupted; objects left under stackyard-speed/" in stderr and stderr.rstrip().endswith(": 0")
    assert left_under(deployed) == (0, 0)


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        (["--sizes", "11GiB"], "--sizes: '11GiB': use a size from 1B to 10GiB"),
        (["--sizes", "1MB"], "--sizes: '1MB': write a whole number and one of B, KiB, MiB, GiB"),
        (["--runs", "0"], "--runs 0: use 1 to 20"),
        (["--format", "xml"], "--format 'xml': use one of table, json"),
    ],
)
def test_bad_input_exits_2_naming_the_option(deployed, arguments, reason):
    result = store_speed(deployed, *arguments)
    assert result.returncode == 2 and reason in result.stderr and "Traceback" not in result.stderr


def test_a_run_that_fails_half_way_still_leaves_nothing(fresh_deployment):
    """The store user may write and delete but not read: the upload lands, then reading it is refused (moto's IAM
    enforcement), and the clean-up still deletes what was written."""
    iam = emulator_client("iam", fresh_deployment.endpoint, REGION)
    user = fresh_deployment.outputs()["data"]["user_name"]
    (policy_name,) = iam.list_user_policies(UserName=user)["PolicyNames"]
    document = iam.get_user_policy(UserName=user, PolicyName=policy_name)["PolicyDocument"]
    deny = {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}
    document["Statement"] = [*document["Statement"], deny]
    iam.put_user_policy(UserName=user, PolicyName=policy_name, PolicyDocument=json.dumps(document))
    set_moto_auth(fresh_deployment.endpoint, enforce=True)
    try:
        result = store_speed(fresh_deployment, "--sizes", "1KiB")
    finally:
        set_moto_auth(fresh_deployment.endpoint, enforce=False)
    assert result.returncode == 1
    assert "(403)" in result.stderr and result.stderr.rstrip().endswith(": 0")
    assert left_under(fresh_deployment) == (0, 0)


def test_an_endpoint_that_never_answers_is_reported_after_one_request_and_one_clean_up_listing(deployed, tmp_path):
    """The first request waits --timeout and is not retried; the clean-up's listing waits once more and says it
    could not look: two connections in all, whatever the machine's load."""
    with silent_endpoint() as silent:
        config = deployed.with_config(tmp_path / "silent.yaml", lambda c: c["aws"].update(endpoint_url=silent.url))
        env = {**os.environ, **aws_env(silent.url)}
        del env["AWS_ENDPOINT_URL"]
        command = [
            sys.executable, "-m", "stackyard.cli", "store", "speed", "--sizes", "1KiB", "--timeout", "2",
            "--outputs", str(deployed.outputs_file), "--config", str(config),
        ]  # fmt: skip
        result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60)
        connections = silent.connections
    assert result.returncode == 1
    assert "ReadTimeoutError" in result.stderr and "the clean-up failed" in result.stderr
    assert connections == 2, f"{connections} requests: a timed-out one was retried"
