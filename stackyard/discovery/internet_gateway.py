"""internet-gateway: valohai-igw by its Name tag, attached to valohai-vpc (seed 001)."""

from __future__ import annotations

from typing import Any

from stackyard.discovery.core.base import Result, found, imported
from stackyard.discovery.core.context import DiscoveryContext, name_filter
from stackyard.discovery.core.families import NamedEc2Finder


class InternetGateway(NamedEc2Finder):
    id = "internet-gateway"
    title = "internet gateway"
    order = 110
    id_key = "InternetGatewayId"

    def name(self, context: DiscoveryContext) -> str:
        return context.names.internet_gateway

    def candidates(self, ec2: Any, filters: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return ec2.describe_internet_gateways(Filters=filters)["InternetGateways"]

    def with_one(self, context: DiscoveryContext, resource: dict[str, Any]) -> Result:
        vpcs = context.client("ec2").describe_vpcs(Filters=name_filter(context.names.vpc))["Vpcs"]
        attached = {attachment["VpcId"] for attachment in resource.get("Attachments", [])}
        differences = []
        if not attached & {vpc["VpcId"] for vpc in vpcs}:
            differences.append(f"not attached to {context.names.vpc} (attached to: {sorted(attached) or 'nothing'})")
        gateway_id = resource["InternetGatewayId"]
        return found(gateway_id, differences).adopting({"internet-gateway": imported(gateway_id)})
