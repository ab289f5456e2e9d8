"""vpc: valohai-vpc by its Name tag, and its range (seed 001)."""

from __future__ import annotations

from typing import Any

from stackyard.discovery.core.base import Refusal, Result, found, imported
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.families import NamedEc2Finder


class Vpc(NamedEc2Finder):
    id = "vpc"
    title = "VPC"
    order = 90
    id_key = "VpcId"

    def name(self, context: DiscoveryContext) -> str:
        return context.names.vpc

    def candidates(self, ec2: Any, filters: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return ec2.describe_vpcs(Filters=filters)["Vpcs"]

    def with_one(self, context: DiscoveryContext, resource: dict[str, Any]) -> Result:
        wanted, cidr = context.config.network.vpc_cidr, resource["CidrBlock"]
        differences, refusals = [], []
        if cidr != wanted:
            differences.append(f"CIDR {cidr}, the config: {wanted}")
            refusals.append(Refusal("network.vpc_cidr", wanted, cidr, "replace the VPC and everything in it"))
        result = found(resource["VpcId"], differences, vpc_id=resource["VpcId"])
        return result.adopting({"vpc": imported(resource["VpcId"])}, refusals)
