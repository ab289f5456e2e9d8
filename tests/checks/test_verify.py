"""`stackyard verify` against a deployment in a real moto_server and a real TLS redis-server: healthy passes,
each breakage is pinpointed by the check that owns it."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET

import pytest

from checks import CHECK_IDS
from tests.checks.conftest import REDIS_PASSWORD, REDIS_PASSWORD_ENV, REGION, results_by_id, run_verify
from tests.support.aws import emulator_client
from tests.support.processes import LOOPBACK, free_port, redis_server, set_moto_auth


def queue_arguments(server, tls_files) -> list[str]:
    return [
        "--queue-address", server.address,
        "--queue-ca-file", str(tls_files.cert),
        "--redis-password-env", REDIS_PASSWORD_ENV,
    ]  # fmt: skip


def client(deployed, service):
    return emulator_client(service, deployed.endpoint, REGION)


# The cluster's SSH check connects to the instances' public IPs; moto's are not real, and tests only touch
# loopback, so it is covered in test_checks.py against a local listener instead. The TLS-only bucket policy
# cannot coexist with a round trip in moto (see MotoDeployment.apply_bucket_policy): its check has its own test.
OFFLINE_SKIP = ["--skip", "cluster-ssh", "--skip", "store-tls-only"]


def test_healthy_deployment_passes_every_check(deployed, queue_redis, tls_files):
    result = run_verify(deployed, "--format", "json", *queue_arguments(queue_redis, tls_files), *OFFLINE_SKIP)
    assert result.returncode == 0, result.stdout + result.stderr
    checks = results_by_id(result)
    assert set(checks) == set(CHECK_IDS) - {"cluster-ssh", "store-tls-only"}
    assert {check_id: c["status"] for check_id, c in checks.items()} == dict.fromkeys(checks, "PASS")
    # moto does not implement the policy simulator: the fallback says so.
    assert "evaluated locally" in checks["worker-instance-protection"]["detail"]
    assert "as the store user" in checks["store-round-trip"]["detail"]
    assert "MiB/s" in checks["store-round-trip"]["detail"]
    assert "AUTH + PING -> PONG" in checks["queue-redis-tls"]["detail"]
    summary = json.loads(result.stdout)["summary"]
    assert summary["passed"] == len(checks) and summary["exit_code"] == 0


def test_round_trip_leaves_nothing_behind_not_even_a_version(deployed):
    s3 = client(deployed, "s3")
    bucket = deployed.outputs()["data"]["bucket_name"]
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    run_verify(deployed, "--only", "store-round-trip")
    versions = s3.list_object_versions(Bucket=bucket, Prefix="stackyard-verify/")
    assert versions.get("Versions", []) == [] and versions.get("DeleteMarkers", []) == []


def test_table_report_and_junit_file(deployed, queue_redis, tls_files, tmp_path):
    table = run_verify(deployed, *queue_arguments(queue_redis, tls_files), *OFFLINE_SKIP)
    assert table.returncode == 0
    assert "store-round-trip" in table.stdout and "PASS" in table.stdout
    assert table.stdout.strip().splitlines()[-1].startswith("verify: 12 passed, 0 failed, 0 errors, 0 skipped")

    junit_file = tmp_path / "reports" / "verify.xml"
    result = run_verify(
        deployed, "--format", "junit", "--output-file", str(junit_file), *queue_arguments(queue_redis, tls_files)
    )
    suite = ET.parse(junit_file).getroot().find("testsuite")
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == list(CHECK_IDS)
    # Unreachable fake IPs are not contacted: the SSH check fails after its timeout and shows as a failure.
    assert int(suite.get("failures")) + int(suite.get("errors")) >= 0
    assert result.stdout.startswith("verify: ")


@pytest.mark.parametrize("report_format", ["table", "json", "junit"])
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


def test_worker_policy_without_set_instance_protection_fails(fresh_deployment, queue_redis, tls_files):
    iam = client(fresh_deployment, "iam")
    policy = next(p for p in iam.list_policies(Scope="Local")["Policies"] if p["PolicyName"] == "ValohaiWorkerPolicy")
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "2", "Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"}],
    }
    iam.create_policy_version(PolicyArn=policy["Arn"], PolicyDocument=json.dumps(document), SetAsDefault=True)

    result = run_verify(fresh_deployment, "--format", "json", "--only", "worker-instance-protection")
    assert result.returncode == 1
    check = results_by_id(result)["worker-instance-protection"]
    assert check["status"] == "FAIL"
    assert "autoscaling:SetInstanceProtection on *: implicitDeny" in check["detail"]


def test_revoked_redis_rule_fails_the_queue_security_group_check(fresh_deployment):
    ec2 = client(fresh_deployment, "ec2")
    group_id = fresh_deployment.outputs()["workers"]["queue_security_group_id"]
    ec2.revoke_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 63790, "ToPort": 63790, "IpRanges": [{"CidrIp": "34.248.245.191/32"}]}
        ],
    )
    result = run_verify(fresh_deployment, "--format", "json", "--only", "queue-security-group")
    assert result.returncode == 1
    check = results_by_id(result)["queue-security-group"]
    assert check["status"] == "FAIL"
    assert "63790 from the app (34.248.245.191/32)" in check["detail"]


def test_tls_only_policy_passes_when_applied_and_fails_when_missing(fresh_deployment):
    missing = run_verify(fresh_deployment, "--format", "json", "--only", "store-tls-only")
    assert results_by_id(missing)["store-tls-only"]["status"] == "FAIL"
    assert "plain-HTTP requests are not refused" in results_by_id(missing)["store-tls-only"]["detail"]
    fresh_deployment.deployment.apply_bucket_policy()  # the synthesized policy document
    applied = run_verify(fresh_deployment, "--format", "json", "--only", "store-tls-only")
    assert (applied.returncode, results_by_id(applied)["store-tls-only"]["status"]) == (0, "PASS")
    assert "DenyInsecureTransport" in results_by_id(applied)["store-tls-only"]["detail"]


def test_bucket_without_public_access_block_fails(fresh_deployment):
    bucket = fresh_deployment.outputs()["data"]["bucket_name"]
    client(fresh_deployment, "s3").delete_public_access_block(Bucket=bucket)
    result = run_verify(fresh_deployment, "--format", "json", "--only", "store-private")
    check = results_by_id(result)["store-private"]
    assert (result.returncode, check["status"]) == (1, "FAIL")
    assert "no public-access block" in check["detail"]


def test_user_who_may_put_but_not_delete_fails_and_says_the_object_remains(fresh_deployment, tmp_path):
    iam = client(fresh_deployment, "iam")
    bucket = fresh_deployment.outputs()["data"]["bucket_name"]
    iam.create_user(UserName="uploader")
    iam.put_user_policy(
        UserName="uploader",
        PolicyName="put-and-read-only",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["s3:PutObject", "s3:GetObject"],
                        "Resource": f"arn:aws:s3:::{bucket}/*",
                    }
                ],
            }
        ),
    )
    key = iam.create_access_key(UserName="uploader")["AccessKey"]

    def as_uploader(outputs):
        outputs["data"]["access_key_id"] = key["AccessKeyId"]
        outputs["data"]["secret_access_key"] = key["SecretAccessKey"]

    outputs_file = fresh_deployment.with_outputs(tmp_path / "uploader.json", as_uploader)
    set_moto_auth(fresh_deployment.endpoint, enforce=True)
    try:
        result = run_verify(
            fresh_deployment, "--format", "json", "--only", "store-round-trip", outputs_file=outputs_file
        )
    finally:
        set_moto_auth(fresh_deployment.endpoint, enforce=False)
    check = results_by_id(result)["store-round-trip"]
    assert (result.returncode, check["status"]) == (1, "FAIL")
    assert "the object remains" in check["detail"] and "AccessDenied" in check["detail"]
    remaining = client(fresh_deployment, "s3").list_objects_v2(Bucket=bucket, Prefix="stackyard-verify/")
    assert remaining["KeyCount"] == 1, "the detail tells the truth: the object is still there"


def test_stopped_redis_fails_within_the_timeout(deployed, tls_files, tmp_path):
    with redis_server(tls_files, None, tmp_path) as server:
        address = server.address
    started = time.monotonic()
    result = run_verify(
        deployed, "--format", "json", "--only", "queue-redis-tls", "--timeout", "2",
        "--queue-address", address, "--queue-ca-file", str(tls_files.cert),
    )  # fmt: skip
    elapsed = time.monotonic() - started
    check = results_by_id(result)["queue-redis-tls"]
    assert (result.returncode, check["status"]) == (1, "FAIL")
    assert f"cannot open TCP {address}" in check["detail"]
    assert check["duration_s"] < 2.5 and elapsed < 15


def test_plaintext_redis_on_the_tls_port_fails_with_the_reason(deployed, tmp_path):
    with redis_server(None, None, tmp_path) as server:
        result = run_verify(
            deployed,
            "--format",
            "json",
            "--only",
            "queue-redis-tls",
            "--no-verify-tls",
            "--queue-address",
            server.address,
        )
    check = results_by_id(result)["queue-redis-tls"]
    assert (result.returncode, check["status"]) == (1, "FAIL")
    assert "speaks plaintext Redis, not TLS" in check["detail"]


def test_untrusted_certificate_fails_unless_verification_is_turned_off(deployed, queue_redis):
    untrusted = run_verify(
        deployed, "--format", "json", "--only", "queue-redis-tls", "--queue-address", queue_redis.address
    )
    assert "certificate not trusted" in results_by_id(untrusted)["queue-redis-tls"]["detail"]
    unverified = run_verify(
        deployed, "--format", "json", "--only", "queue-redis-tls", "--no-verify-tls",
        "--queue-address", queue_redis.address, "--redis-password-env", REDIS_PASSWORD_ENV,
    )  # fmt: skip
    assert results_by_id(unverified)["queue-redis-tls"]["status"] == "PASS"


def test_wrong_redis_password_fails(deployed, queue_redis, tls_files, monkeypatch):
    monkeypatch.setenv("WRONG_PASSWORD", "not-it")
    result = run_verify(
        deployed, "--format", "json", "--only", "queue-redis-tls", "--queue-address", queue_redis.address,
        "--queue-ca-file", str(tls_files.cert), "--redis-password-env", "WRONG_PASSWORD",
    )  # fmt: skip
    assert "AUTH was refused" in results_by_id(result)["queue-redis-tls"]["detail"]


def test_endpoint_down_is_an_error_within_the_timeout(deployed):
    closed = f"http://{LOOPBACK}:{free_port()}"
    started = time.monotonic()
    result = run_verify(
        deployed, "--format", "json", "--only", "store-private", "--only", "worker-instance-protection",
        "--timeout", "2", endpoint=closed,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    checks = results_by_id(result)
    assert result.returncode == 1
    assert {c["status"] for c in checks.values()} == {"ERROR"}
    assert all("Could not connect" in c["detail"] or "EndpointConnectionError" in c["detail"] for c in checks.values())
    assert max(c["duration_s"] for c in checks.values()) < 10 and elapsed < 20


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


def test_stacks_not_deployed_are_skipped_not_failed(deployed, tmp_path):
    data_only = deployed.with_outputs(
        tmp_path / "data-only.json", lambda outputs: outputs.pop("workers") and outputs.pop("cluster")
    )
    result = run_verify(deployed, "--format", "json", "--skip", "store-tls-only", outputs_file=data_only)
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


def test_cors_rules_in_another_order_pass_but_a_changed_origin_fails(fresh_deployment):
    s3 = client(fresh_deployment, "s3")
    bucket = fresh_deployment.outputs()["data"]["bucket_name"]
    rules = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": list(reversed(rules))})
    reordered = run_verify(fresh_deployment, "--format", "json", "--only", "store-cors")
    assert results_by_id(reordered)["store-cors"]["status"] == "PASS"
    rules[1]["AllowedOrigins"] = ["https://evil.example.com"]
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": rules})
    changed = run_verify(fresh_deployment, "--format", "json", "--only", "store-cors")
    assert results_by_id(changed)["store-cors"]["status"] == "FAIL"
