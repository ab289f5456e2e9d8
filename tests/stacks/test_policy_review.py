"""Least-privilege review: every IAM policy document stackyard generates (default and everything-on configs)
goes through parliament. Errors fail the build; warnings must each be explained in the README's Security section.

Parliament reads policies as AWS stores them, so Terraform references are first replaced by concrete example
values (tests/support/policy_audit.py), and trust policies are read as the role's resource policy."""

from __future__ import annotations

import json
import re

import pytest
from parliament import analyze_policy_string, enhance_finding
from parliament import config as parliament_issues

from tests.conftest import REPO
from tests.support.policy_audit import PolicyDocument, policy_documents

# Parliament files each issue in a group. NOT_IDEAL and OLD are advice (e.g. Resource "*"); a RESOURCE_MISMATCH
# that comes from a wildcard action (s3:* expands to account-level actions no bucket ARN matches) is the wildcard's
# nature, not a wrong ARN. Everything else (malformed, invalid action/ARN/principal/condition, escalation) is an error.
WARNING_GROUPS = {"NOT_IDEAL", "OLD"}


def is_warning(document: PolicyDocument, finding) -> bool:
    if parliament_issues[finding.issue]["group"] in WARNING_GROUPS:
        return True
    if finding.issue == "RESOURCE_MISMATCH":
        actions = [a for s in document.document["Statement"] for a in _as_list(s.get("Action", []))]
        return any("*" in action for action in actions)
    return False


def audit(document: PolicyDocument) -> list:
    """Parliament's findings with their severity filled in (as its CLI does)."""
    return [enhance_finding(finding) for finding in analyze_policy_string(json.dumps(document.document)).findings]


def _as_list(value):
    return value if isinstance(value, list) else [value]


@pytest.fixture(scope="module")
def reviewed(default_synth, everything_on_synth):
    results = []
    for synth in (default_synth, everything_on_synth):
        for document in policy_documents(synth):
            results.append((document, audit(document)))
    return results


def test_every_policy_kind_is_reviewed(reviewed):
    names = {document.name for document, _ in reviewed}
    expected = {"ValohaiWorkerPolicy", "ValohaiMasterPolicy", "ValohaiMaster", "ValohaiWorkerRole"}
    expected |= {"valohai-multipart-upload", "valohai-vpc-flow-logs"}
    expected |= {"my-valohai-bucket", "my-valohai-bucket-access-logs"}  # bucket policies
    assert expected <= names
    assert all("${" not in json.dumps(document.document) for document, _ in reviewed)


def test_no_policy_has_parliament_errors(reviewed):
    errors = [
        f"{document.stack}/{document.name} ({document.field}): {finding.issue} {finding.detail}"
        for document, findings in reviewed
        for finding in findings
        if not is_warning(document, finding)
    ]
    assert errors == []


def test_every_parliament_warning_is_explained_in_the_readme(reviewed):
    security = REPO.joinpath("README.md").read_text().split("## Security", 1)[1].split("\n## ", 1)[0]
    explained = set(re.findall(r"^\| `([^`]+)` \| `([A-Z_]+)` \| .{20,}\|$", security, re.MULTILINE))
    warnings = {(document.name, finding.issue) for document, findings in reviewed for finding in findings}
    assert warnings <= explained, "add a row `| `<policy>` | `<ISSUE>` | why it stays |` to README's Security"
    assert explained <= warnings, "README's Security section explains parliament warnings that no longer occur"


def test_parliament_would_fail_a_broken_policy():
    """The review is live: a typo'd action is an error, not a warning."""
    document = PolicyDocument(
        "data", "aws_iam_user_policy", "x", "broken", "policy",
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]},
    )  # fmt: skip
    findings = audit(document)
    assert findings and any(not is_warning(document, finding) for finding in findings)
