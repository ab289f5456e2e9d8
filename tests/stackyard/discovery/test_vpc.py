"""vpc: valohai-vpc by its Name tag; found, missing, ambiguous, and a CIDR that differs."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.vpc import Vpc


def test_found_with_its_id_as_the_vpc_id_output(find, estate):
    finding = find(Vpc, estate.endpoint)
    assert (finding.state, finding.ids, finding.differences) == (State.FOUND, [estate.ids["vpc"]], [])
    assert finding.outputs == {"vpc_id": estate.ids["vpc"]}


def test_missing_in_an_empty_account(find, empty_account):
    assert find(Vpc, empty_account).state is State.MISSING


def test_a_config_with_another_range_is_told_the_difference(find, estate):
    finding = find(Vpc, estate.endpoint, config=lambda c: c["network"].update(vpc_cidr="10.1.0.0/16"))
    assert finding.state is State.FOUND
    assert finding.differences == ["CIDR 10.0.0.0/16, the config: 10.1.0.0/16"]


def test_two_vpcs_named_valohai_vpc_are_ambiguous(find, fresh_estate):
    ec2 = fresh_estate.client("ec2")
    second = ec2.create_vpc(CidrBlock="10.9.0.0/16", TagSpecifications=fresh_estate.ec2_tags("vpc", "valohai-vpc"))
    finding = find(Vpc, fresh_estate.endpoint)
    assert finding.state is State.AMBIGUOUS
    assert finding.ids == sorted([fresh_estate.ids["vpc"], second["Vpc"]["VpcId"]]) and finding.outputs == {}
