"""master-trust: ValohaiMaster trusts the configured AssumeRole ARN only (and requires the ExternalId if set)."""

from __future__ import annotations

from stackyard.checks.core.base import Status
from stackyard.checks.master_trust import MasterTrust


def test_passes_when_the_configured_arn_is_the_only_principal(check_on, deployed):
    result = check_on(MasterTrust, deployed)
    assert result.status is Status.PASS, result.detail
    assert result.detail.startswith("only arn:aws:iam::")


def test_a_config_naming_another_arn_fails(check_on, deployed):
    other = "arn:aws:iam::111122223333:role/someone-else"
    result = check_on(MasterTrust, deployed, config=lambda c: c["workers"].update(assume_role_arn=other))
    assert result.status is Status.FAIL and f"expected only {other}" in result.detail


def test_a_trust_without_the_configured_external_id_fails(check_on, deployed):
    result = check_on(MasterTrust, deployed, config=lambda c: c["workers"].update(external_id="acme-1234"))
    assert result.status is Status.FAIL and "without the configured ExternalId" in result.detail
