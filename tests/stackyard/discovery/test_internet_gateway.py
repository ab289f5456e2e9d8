"""internet-gateway: valohai-igw, attached to valohai-vpc."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.internet_gateway import InternetGateway


def test_found_attached_and_a_detached_one_is_a_difference(find, fresh_estate, empty_account):
    assert find(InternetGateway, empty_account).state is State.MISSING
    finding = find(InternetGateway, fresh_estate.endpoint)
    assert (finding.state, finding.differences) == (State.FOUND, [])
    ec2 = fresh_estate.client("ec2")
    route_table = fresh_estate.ids["route_table"]
    ec2.delete_route(RouteTableId=route_table, DestinationCidrBlock="0.0.0.0/0")
    ec2.detach_internet_gateway(InternetGatewayId=finding.ids[0], VpcId=fresh_estate.ids["vpc"])
    assert find(InternetGateway, fresh_estate.endpoint).differences == [
        "not attached to valohai-vpc (attached to: nothing)"
    ]
