"""SARIF 2.1.0, for code-scanning dashboards (GitHub's, and any tool that reads prowler's or checkov's SARIF): a rule
per check that ran, a result per FAIL or ERROR with the check's severity as its level and its remediation as help."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

from stackyard.checks.core.base import CheckResult, Severity, Status
from stackyard.checks.core.runner import VerifyReport

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}
# GitHub ranks security results by this property (CVSS-like, 0-10).
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "2.0"}
REPORTED = (Status.FAIL, Status.ERROR)


def render_sarif(report: VerifyReport) -> str:
    rules = [_rule(result) for result in report.results if result.status is not Status.SKIP]
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    results = [_result(result, index[result.id], report) for result in report.results if result.status in REPORTED]
    run = {
        "tool": {
            "driver": {
                "name": "stackyard",
                "version": version("stackyard"),
                "rules": rules,
            }
        },
        "automationDetails": {"id": f"stackyard-verify/{report.target}"},
        "invocations": [
            {
                "executionSuccessful": not any(result.status is Status.ERROR for result in report.results),
                "properties": {"summary": report.summary()},
            }
        ],
        "results": results,
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, default=str) + "\n"


def _rule(result: CheckResult) -> dict[str, Any]:
    return {
        "id": result.id,
        "shortDescription": {"text": result.title},
        "help": {"text": result.remediation},
        "defaultConfiguration": {"level": LEVELS[result.severity]},
        "properties": {
            "severity": result.severity.value,
            "seed": result.seed,
            "security-severity": SECURITY_SEVERITY[result.severity],
            "tags": ["security", "aws", f"seed-{result.seed}"],
        },
    }


def _result(result: CheckResult, rule_index: int, report: VerifyReport) -> dict[str, Any]:
    # An ERROR is a check that could not decide: a result of its rule, said so in words and in its properties.
    text = result.detail if result.status is Status.FAIL else f"could not check: {result.detail}"
    logical = {"name": result.id, "fullyQualifiedName": f"{report.target}/{result.id}", "kind": "resource"}
    location: dict[str, Any] = {"logicalLocations": [logical]}
    if report.outputs_file:  # code-scanning services want a file: the outputs that named the deployment checked
        location["physicalLocation"] = {"artifactLocation": {"uri": Path(report.outputs_file).as_posix()}}
    return {
        "ruleId": result.id,
        "ruleIndex": rule_index,
        "level": LEVELS[result.severity],
        "kind": "fail",
        "message": {"text": f"{text} (fix: {result.remediation})"},
        "locations": [location],
        "properties": {"status": result.status.value, "severity": result.severity.value, "evidence": result.evidence},
    }
