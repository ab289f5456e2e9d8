"""master-role: the role, whom it trusts, and its policy."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.master_role import MasterRole


def test_found_trusting_the_configured_arn(find, estate):
    finding = find(MasterRole, estate.endpoint)
    assert (finding.state, finding.differences) == (State.FOUND, [])
    assert finding.outputs["master_role_arn"] == "arn:aws:iam::123456789012:role/ValohaiMaster"


def test_a_config_naming_another_platform_arn_is_a_difference(find, estate, empty_account):
    assert find(MasterRole, empty_account).state is State.MISSING
    other = "arn:aws:iam::210987654321:role/platform"
    finding = find(MasterRole, estate.endpoint, config=lambda c: c["workers"].update(assume_role_arn=other))
    assert finding.differences == [
        f"trusts ['arn:aws:iam::123456789012:role/valohai-assume-role'], the config: {other}"
    ]
