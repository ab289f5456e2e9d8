"""subnets: valohai-subnet-1..4 by Name tag, in order, with their ranges."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.subnets import Subnets


def test_found_in_order_with_names_and_ids(find, estate):
    finding = find(Subnets, estate.endpoint)
    assert (finding.state, finding.differences) == (State.FOUND, [])
    assert finding.outputs == {
        "subnet_ids": estate.ids["subnets"],
        "subnet_names": ["valohai-subnet-1", "valohai-subnet-2", "valohai-subnet-3", "valohai-subnet-4"],
    }


def test_a_config_with_five_zones_and_other_ranges_hears_each_difference(find, estate, empty_account):
    assert find(Subnets, empty_account).state is State.MISSING
    finding = find(
        Subnets,
        estate.endpoint,
        config=lambda c: c["network"].update(availability_zone_count=5, subnet_prefix_length=24),
    )
    assert finding.differences[0] == "valohai-subnet-5 missing"
    assert "valohai-subnet-2: CIDR 10.0.16.0/20, the config: 10.0.1.0/24" in finding.differences
