"""subnets: valohai-subnet-1..N by their Name tags, each with its range and zone (seed 001)."""

from __future__ import annotations

from typing import Any

from stackyard.discovery.core.base import Finder, Refusal, Result, ambiguous, found, imported, missing
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
        ec2 = context.client("ec2")
        subnets = ec2.describe_subnets(Filters=name_filter(*names))["Subnets"]
        by_name: dict[str, list[dict]] = {name: [] for name in names}
        for subnet in subnets:
            by_name[tags_of(subnet)["Name"]].append(subnet)
        if not subnets:
            return missing()
        twice = [s["SubnetId"] for group in by_name.values() if len(group) > 1 for s in group]
        if twice:
            return ambiguous(twice)
        differences = [f"{name} missing" for name, group in by_name.items() if not group]
        present = {name: group[0] for name, group in by_name.items() if group}
        refusals = self._refusals(context, ec2, present)
        cidrs = dict(zip(names, context.config.network.resolved_subnet_cidrs(), strict=True))
        differences += [
            f"{name}: CIDR {subnet['CidrBlock']}, the config: {cidrs[name]}"
            for name, subnet in present.items()
            if subnet["CidrBlock"] != cidrs[name]
        ]
        ids = [subnet["SubnetId"] for subnet in present.values()]
        adopt = {f"subnet-{names.index(name) + 1}": imported(subnet["SubnetId"]) for name, subnet in present.items()}
        result = Result(found(ids[0]).state, ids, differences, {"subnet_ids": ids, "subnet_names": list(present)})
        return result.adopting(adopt, refusals)

    def _refusals(self, context: DiscoveryContext, ec2: Any, present: dict[str, dict]) -> list[Refusal]:
        """A subnet whose range or zone differs is replaced with everything in it: refuse."""
        network, names = context.config.network, self.names(context)
        cidrs = network.resolved_subnet_cidrs()
        # The stack puts subnet i in zone i (wrapping) of the pinned zones, else of the region's available ones.
        zones = network.availability_zones or [
            zone["ZoneName"]
            for zone in ec2.describe_availability_zones(Filters=[{"Name": "state", "Values": ["available"]}])[
                "AvailabilityZones"
            ]
        ]
        wanted_zones = [zones[index % len(zones)] for index in range(len(names))] if zones else []
        found_cidrs = [
            present[name]["CidrBlock"] if name in present else cidr for name, cidr in zip(names, cidrs, strict=True)
        ]
        found_zones = [
            present[name]["AvailabilityZone"] if name in present else zone
            for name, zone in zip(names, wanted_zones, strict=True)
        ]
        refusals = []
        if found_cidrs != cidrs:
            refusals.append(Refusal("network.subnet_cidrs", cidrs, found_cidrs, "replace the subnets that differ"))
        if wanted_zones and found_zones != wanted_zones:
            refusals.append(
                Refusal("network.availability_zones", wanted_zones, found_zones, "replace the subnets that differ")
            )
        return refusals
