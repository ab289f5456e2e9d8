"""subnets: valohai-subnet-1..N by their Name tags, each with its range (seed 001)."""

from __future__ import annotations

from stackyard.discovery.core.base import Finder, Result, ambiguous, found, missing
from stackyard.discovery.core.context import DiscoveryContext, name_filter, tags_of
from stackyard.stack_names import WORKERS_STACK


class Subnets(Finder):
    id = "subnets"
    title = "subnets"
    stack = WORKERS_STACK
    order = 100

    def wanted(self, context: DiscoveryContext) -> bool:
        return context.config.workers.enabled and context.config.network.existing is None

    def names(self, context: DiscoveryContext) -> list[str]:
        count = len(context.config.network.resolved_subnet_cidrs())
        return [context.names.subnet(number) for number in range(1, count + 1)]

    def describe(self, context: DiscoveryContext) -> str:
        names = self.names(context)
        return f"subnets named {names[0]} ... {names[-1]}" if len(names) > 1 else f"subnet named {names[0]}"

    def find(self, context: DiscoveryContext) -> Result:
        names = self.names(context)
        subnets = context.client("ec2").describe_subnets(Filters=name_filter(*names))["Subnets"]
        by_name: dict[str, list[dict]] = {name: [] for name in names}
        for subnet in subnets:
            by_name[tags_of(subnet)["Name"]].append(subnet)
        if not subnets:
            return missing()
        twice = [s["SubnetId"] for group in by_name.values() if len(group) > 1 for s in group]
        if twice:
            return ambiguous(twice)
        differences = [f"{name} missing" for name, group in by_name.items() if not group]
        cidrs = dict(zip(names, context.config.network.resolved_subnet_cidrs(), strict=True))
        for name, group in by_name.items():
            if group and group[0]["CidrBlock"] != cidrs[name]:
                differences.append(f"{name}: CIDR {group[0]['CidrBlock']}, the config: {cidrs[name]}")
        present = [name for name in names if by_name[name]]
        ids = [by_name[name][0]["SubnetId"] for name in present]
        return Result(found(ids[0]).state, ids, differences, {"subnet_ids": ids, "subnet_names": present})
