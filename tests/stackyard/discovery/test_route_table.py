"""route-table: the main table renamed valohai-rt, as seed 001 does, with its default route."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.route_table import RouteTable


def test_the_renamed_main_table_is_found_and_said_to_be_the_main_one(find, estate, empty_account):
    assert find(RouteTable, empty_account).state is State.MISSING
    finding = find(RouteTable, estate.endpoint)
    assert finding.state is State.FOUND and finding.ids == [estate.ids["route_table"]]
    assert finding.differences == [
        "it is the VPC's main route table (the console way); stackyard's is a table of its own"
    ]


def test_without_the_default_route_it_says_so(find, fresh_estate):
    fresh_estate.client("ec2").delete_route(
        RouteTableId=fresh_estate.ids["route_table"], DestinationCidrBlock="0.0.0.0/0"
    )
    assert "no 0.0.0.0/0 route to an internet gateway" in find(RouteTable, fresh_estate.endpoint).differences
