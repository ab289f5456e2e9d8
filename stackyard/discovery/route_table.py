"""route-table: valohai-rt by its Name tag (seed 001 renames the VPC's main table) with its default route."""

from __future__ import annotations

from typing import Any

from stackyard.discovery.core.base import Refusal, Result, found, imported
from stackyard.discovery.core.context import DiscoveryContext, name_filter
from stackyard.discovery.core.families import NamedEc2Finder


class RouteTable(NamedEc2Finder):
    id = "route-table"
    title = "route table"
    order = 120
    id_key = "RouteTableId"

    def name(self, context: DiscoveryContext) -> str:
        return context.names.route_table

    def candidates(self, ec2: Any, filters: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return ec2.describe_route_tables(Filters=filters)["RouteTables"]

    def with_one(self, context: DiscoveryContext, resource: dict[str, Any]) -> Result:
        default_routes = [r for r in resource.get("Routes", []) if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
        differences = []
        if not any(route.get("GatewayId", "").startswith("igw-") for route in default_routes):
            differences.append("no 0.0.0.0/0 route to an internet gateway")
        if any(association.get("Main") for association in resource.get("Associations", [])):
            differences.append("it is the VPC's main route table (the console way); stackyard's is a table of its own")
        vpcs = context.client("ec2").describe_vpcs(Filters=name_filter(context.names.vpc))["Vpcs"]
        refusal = None
        if len(vpcs) == 1 and resource["VpcId"] != vpcs[0]["VpcId"]:
            refusal = Refusal(
                "network.name_prefix", context.names.vpc, resource["VpcId"], "replace a route table of another VPC"
            )
        table_id = resource["RouteTableId"]
        return found(table_id, differences).adopting({"route-table": imported(table_id)}, [refusal])
