"""`stackyard verify` as a user runs it (a subprocess) against a deployment in a real moto_server and a real TLS
redis-server: the healthy deployment passes, reports in every format, bad input exits 2. What each check finds when
something is broken is tested beside the check, in tests/stackyard/checks/."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest
import yaml

from stackyard.checks import check_ids
from tests.stackyard.test_outputs import deployment_outputs, example_config_data
from tests.support.aws import emulator_client
from tests.support.cli import interruptible
from tests.support.deployed import REDIS_PASSWORD, REDIS_PASSWORD_ENV, REGION, results_by_id, run_verify
from tests.support.processes import LOOPBACK, faulty_endpoint, free_port, silent_endpoint, wait_until


def queue_arguments(server, tls_files) -> list[str]:
    return [
        "--queue-address", server.address,
        "--queue-ca-file", str(tls_files.cert),
        "--redis-password-env", REDIS_PASSWORD_ENV,
    ]  # fmt: skip


def client(deployed, service):
    return emulator_client(service, deployed.endpoint, REGION)


# The cluster's SSH check connects to the instances' public IPs; moto's are not real, and tests only touch
# loopback, so checks/test_cluster_ssh.py points it at a local listener instead. The TLS-only bucket policy
# cannot coexist with a round trip in moto (see MotoDeployment.apply_bucket_policy): checks/test_store_tls_only.py.
OFFLINE_SKIP = ["--skip", "cluster-ssh", "--skip", "store-tls-only"]
# The default config's queue is installed by the platform: no password secret (checks/test_queue_secret.py).
NOT_FOR_THE_DEFAULT = {"queue-secret"}


def test_healthy_deployment_passes_every_check(deployed, queue_redis, tls_files):
    result = run_verify(deployed, "--format", "json", *queue_arguments(queue_redis, tls_files), *OFFLINE_SKIP)
    assert result.returncode == 0, result.stdout + result.stderr
    checks = results_by_id(result)
    assert list(checks) == list(check_ids())
    skipped = {"cluster-ssh", "store-tls-only", *NOT_FOR_THE_DEFAULT}
    assert {i: c["status"] for i, c in checks.items()} == {i: "SKIP" if i in skipped else "PASS" for i in checks}
    assert {checks[i]["detail"] for i in skipped - NOT_FOR_THE_DEFAULT} == {"skipped by --skip"}
    assert "installed by the platform" in checks["queue-secret"]["detail"]
    assert {c["severity"] for c in checks.values()} <= {"critical", "high", "medium", "low"}
    assert checks["master-trust"]["severity"] == "critical" and checks["master-trust"]["remediation"]
    # moto does not implement the policy simulator: the fallback says so.
    assert "evaluated locally" in checks["worker-instance-protection"]["detail"]
    assert "as the store user" in checks["store-round-trip"]["detail"]
    assert "MiB/s" in checks["store-round-trip"]["detail"]
    assert "AUTH + PING -> PONG" in checks["queue-redis-tls"]["detail"]
    summary = json.loads(result.stdout)["summary"]
    assert (summary["passed"], summary["skipped"], summary["exit_code"]) == (len(checks) - 3, 3, 0)
    # no AWS_ENDPOINT_URL in the environment: the config's aws.endpoint_url was used, and the report says so
    assert summary["endpoint"] == f"{deployed.endpoint} (aws.endpoint_url), region eu-west-1"


def test_table_report_and_junit_file(deployed, queue_redis, tls_files, tmp_path):
    table = run_verify(deployed, *queue_arguments(queue_redis, tls_files), *OFFLINE_SKIP)
    assert table.returncode == 0
    assert "store-round-trip" in table.stdout and "PASS" in table.stdout and "critical" in table.stdout
    assert (
        table.stdout.strip()
        .splitlines()[-1]
        .startswith(f"verify: {len(check_ids()) - 3} passed, 0 failed, 0 errors, 3 skipped")
    )
    assert f"stackyard verify: {deployed.endpoint} (aws.endpoint_url)" in table.stdout

    # store-tls-only runs here: moto's deployment has no bucket policy (see MotoDeployment.apply_bucket_policy), so
    # it fails, with its remediation. cluster-ssh stays skipped: moto's instance addresses are not on loopback.
    junit_file = tmp_path / "reports" / "verify.xml"
    result = run_verify(
        deployed, "--format", "junit", "--output-file", str(junit_file), "--skip", "cluster-ssh",
        *queue_arguments(queue_redis, tls_files),
    )  # fmt: skip
    suite = ET.parse(junit_file).getroot().find("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == list(check_ids())
    skipped = str(1 + len(NOT_FOR_THE_DEFAULT))
    assert (suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("1", "0", skipped)
    times = [float(case.get("time")) for case in cases.values()]
    assert max(times) <= float(suite.get("time")) < sum(times), "the suite's time is the wall time, not the sum"
    assert suite.find("properties/property").get("value").startswith(deployed.endpoint)
    failure = cases["store-tls-only"].find("failure")
    assert "no bucket policy" in failure.get("message") and failure.text.startswith("fix: Restore the bucket policy")
    assert "(severity high)" in cases["store-tls-only"].find("system-out").text
    assert result.stdout.startswith("verify: ") and result.returncode == 1


@pytest.mark.parametrize("report_format", ["table", "json", "junit", "html"])
def test_no_report_carries_a_secret(deployed, queue_redis, tls_files, tmp_path, report_format):
    """The store user's secret key (used for the round trip) and the Redis password (used for AUTH) stay out of
    every report format, the written file, and stderr."""
    secret = deployed.outputs()["data"]["secret_access_key"]
    report_file = tmp_path / f"verify.{report_format}"
    result = run_verify(
        deployed, "--format", report_format, "--output-file", str(report_file),
        *queue_arguments(queue_redis, tls_files), *OFFLINE_SKIP,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(secret) >= 20 and "AUTH + PING" in report_file.read_text()  # the secrets were really used
    for text in (result.stdout, result.stderr, report_file.read_text()):
        assert secret not in text and REDIS_PASSWORD not in text


def test_endpoint_down_is_an_error_within_the_timeout(deployed, tmp_path):
    closed = f"http://{LOOPBACK}:{free_port()}"
    config = deployed.with_config(tmp_path / "closed.yaml", lambda c: c["aws"].update(endpoint_url=closed))
    started = time.monotonic()
    result = run_verify(
        deployed, "--format", "json", "--only", "store-private", "--only", "worker-instance-protection",
        "--timeout", "2", config_file=config,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    checks = results_by_id(result)
    assert result.returncode == 1
    assert {c["status"] for c in checks.values()} == {"ERROR"}
    assert all("Could not connect" in c["detail"] or "EndpointConnectionError" in c["detail"] for c in checks.values())
    assert max(c["duration_s"] for c in checks.values()) < 10 and elapsed < 20


def test_an_endpoint_that_never_answers_is_one_timed_out_request_per_check(deployed, tmp_path):
    """It accepts connections and says nothing: every AWS check is an ERROR after its first call timed out (each
    call is bounded and not retried), not after retries on top of retries."""
    with silent_endpoint() as silent:
        config = deployed.with_config(tmp_path / "silent.yaml", lambda c: c["aws"].update(endpoint_url=silent.url))
        result = run_verify(
            deployed, "--format", "json", "--timeout", "2",
            "--skip", "queue-redis-tls", "--skip", "cluster-ssh", "--skip", "cluster-key-file",  # not AWS
            config_file=config,
        )  # fmt: skip
        connections = silent.connections
    checks = {i: c for i, c in results_by_id(result).items() if c["status"] != "SKIP"}
    assert result.returncode == 1
    not_errors = {i: c["detail"] for i, c in checks.items() if c["status"] != "ERROR"}
    assert checks and not not_errors, not_errors
    assert all("timeout" in c["detail"].lower() for c in checks.values())
    assert connections == len(checks), f"{connections} requests for {len(checks)} checks: some were retried"


# What GetPublicAccessBlock answers for a bucket with every protection off: read whole, store-private FAILs.
PROTECTION_OFF = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<PublicAccessBlockConfiguration '
    b'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>false</BlockPublicAcls>'
    b"<IgnorePublicAcls>false</IgnorePublicAcls><BlockPublicPolicy>false</BlockPublicPolicy>"
    b"<RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>"
)


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        # a byte each 0.2 s: every read well within the timeout, the whole answer ~70 s
        ({"drip": 0.2}, "AnswerTooSlow: No whole answer within 2 s from endpoint URL"),
        ({"cut_at": 120}, "AnswerCutShort: The answer from endpoint URL"),
    ],
    ids=["slow-drip", "cut-short"],
)
def test_an_answer_not_read_whole_is_an_error_never_a_verdict(deployed, tmp_path, fault, error):
    """An endpoint that answers "every protection off" too slowly to read whole within --timeout, or cuts its
    answer short: store-private is an ERROR saying so, not a FAIL from what was read."""
    with faulty_endpoint(PROTECTION_OFF, **fault) as url:
        config = deployed.with_config(tmp_path / "faulty.yaml", lambda c: c["aws"].update(endpoint_url=url))
        result = run_verify(
            deployed, "--format", "json", "--only", "store-private", "--timeout", "2", config_file=config
        )
    (check,) = results_by_id(result).values()
    assert result.returncode == 1 and check["status"] == "ERROR", check
    assert error in check["detail"], check["detail"]
    if "drip" in fault:
        assert "raise it if the endpoint is slow" in check["detail"], check["detail"]
    else:
        assert f"ended after 120 of its {len(PROTECTION_OFF)} bytes" in check["detail"], check["detail"]


def test_an_unreachable_endpoint_is_one_line_not_a_row_per_check(deployed, tmp_path):
    closed = f"http://{LOOPBACK}:{free_port()}"
    config = deployed.with_config(tmp_path / "closed.yaml", lambda c: c["aws"].update(endpoint_url=closed))
    result = run_verify(deployed, "--timeout", "2", "--skip", "queue-redis-tls", "--skip", "cluster-ssh",
                        "--skip", "cluster-key-file", config_file=config)  # fmt: skip
    assert result.returncode == 1
    (line,) = result.stdout.strip().splitlines()
    assert line.startswith(f"verify: cannot reach {closed} (aws.endpoint_url), region eu-west-1: ") and (
        "checks stopped (EndpointConnectionError" in line
    ), line


def test_no_credentials_is_one_line_saying_what_to_set(deployed, tmp_path):
    nowhere = str(tmp_path / "none")  # no shared credentials or config file, and no instance metadata to ask
    result = run_verify(
        deployed, "--only", "store-private", "--only", "master-trust", "--only", "queue-security-group",
        environment={"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None, "AWS_SESSION_TOKEN": None,
                     "AWS_PROFILE": None, "AWS_SHARED_CREDENTIALS_FILE": nowhere, "AWS_CONFIG_FILE": nowhere,
                     "AWS_EC2_METADATA_DISABLED": "true"},
    )  # fmt: skip
    assert result.returncode == 1
    (line,) = result.stdout.strip().splitlines()
    assert line.startswith("verify: no AWS credentials for ") and "checks stopped (NoCredentialsError" in line, line
    assert line.endswith(
        "; set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run where an instance role applies"
    ), line


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        (["--only", "no-such-check"], "unknown check id(s) no-such-check"),
        (["--format", "yaml"], "--format 'yaml'"),
        (["--queue-address", "host:99999"], "--queue-address"),
        (["--redis-password-env", "STACKYARD_UNSET_VARIABLE"], "that variable is not set"),
        (["--timeout", "0"], "--timeout"),
    ],
)
def test_bad_usage_exits_2_with_one_line(deployed, arguments, reason):
    result = run_verify(deployed, *arguments)
    assert result.returncode == 2
    assert reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_missing_or_unreadable_outputs_exit_2(deployed, tmp_path):
    missing = run_verify(deployed, outputs_file=tmp_path / "none.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    unreadable = run_verify(deployed, outputs_file=broken)
    assert (missing.returncode, unreadable.returncode) == (2, 2)
    assert "cannot read" in missing.stderr and "not a JSON outputs file" in unreadable.stderr


def test_stacks_the_config_turns_off_are_skipped_not_failed_and_a_partial_deployment_is_refused(deployed, tmp_path):
    data_only = deployed.with_outputs(
        tmp_path / "data-only.json", lambda outputs: outputs.pop("workers") and outputs.pop("cluster")
    )
    refused = run_verify(deployed, "--format", "json", "--skip", "store-tls-only", outputs_file=data_only)
    assert refused.returncode == 2 and "no outputs of stack(s) workers, cluster" in refused.stderr, refused.stderr
    assert refused.stdout == "", "no verdict about a deployment the outputs do not hold"

    def data_store_only(config: dict) -> None:
        config["workers"]["enabled"] = config["cluster"]["enabled"] = False

    config_file = deployed.with_config(tmp_path / "data-only.yaml", data_store_only)
    result = run_verify(
        deployed, "--format", "json", "--skip", "store-tls-only", outputs_file=data_only, config_file=config_file
    )
    checks = results_by_id(result)
    assert checks["queue-instance"]["status"] == "SKIP" and "not deployed" in checks["queue-instance"]["detail"]
    assert checks["store-cors"]["status"] == "PASS"
    assert result.returncode == 0


def test_terraform_output_json_of_one_stack_is_accepted(deployed, tmp_path):
    data = deployed.outputs()["data"]
    path = tmp_path / "data.json"
    path.write_text(json.dumps({k: {"sensitive": False, "type": "string", "value": v} for k, v in data.items()}))
    result = run_verify(
        deployed, "--format", "json", "--only", "store-cors", "--only", "store-round-trip", outputs_file=path
    )
    assert {c["status"] for c in results_by_id(result).values()} == {"PASS"}


def test_ctrl_c_during_verify_exits_130_in_one_line(tmp_path):
    """Ctrl-C while every check waits on an endpoint that never answers: exit 130, one line, no traceback."""
    outputs, config = tmp_path / "outputs.json", tmp_path / "config.yaml"
    outputs.write_text(json.dumps(deployment_outputs()))
    with silent_endpoint() as silent:
        config.write_text(yaml.safe_dump(example_config_data(aws={"region": REGION, "endpoint_url": silent.url})))
        command = [sys.executable, "-m", "stackyard.cli", "verify", "--outputs", str(outputs), "--config", str(config)]
        env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
        process = subprocess.Popen(
            interruptible(command), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        wait_until(lambda: silent.connections > 0, what="verify's first call")
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=60)
    assert process.returncode == 130, errors
    assert errors.strip().splitlines() == ["stackyard: interrupted (Ctrl-C)"], errors
