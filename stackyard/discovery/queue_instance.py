"""queue-instance: valohai-i-queue by its Name tag (not terminated), its type and IMDS setting (seed 001)."""

from __future__ import annotations

from typing import Any

from stackyard.discovery.core.base import Result, found
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.families import NamedEc2Finder

LIVE = ["pending", "running", "stopping", "stopped"]


class QueueInstance(NamedEc2Finder):
    id = "queue-instance"
    title = "queue instance"
    order = 150
    id_key = "InstanceId"

    def wanted(self, context: DiscoveryContext) -> bool:
        return context.config.workers.enabled and context.config.queue.enabled

    def name(self, context: DiscoveryContext) -> str:
        return context.names.queue_instance

    def candidates(self, ec2: Any, filters: list[dict[str, Any]]) -> list[dict[str, Any]]:
        filters = [*filters, {"Name": "instance-state-name", "Values": LIVE}]
        return [i for r in ec2.describe_instances(Filters=filters)["Reservations"] for i in r["Instances"]]

    def with_one(self, context: DiscoveryContext, resource: dict[str, Any]) -> Result:
        queue, differences = context.config.queue, []
        if resource["InstanceType"] != queue.instance_type:
            differences.append(f"type {resource['InstanceType']}, the config: {queue.instance_type}")
        if resource.get("MetadataOptions", {}).get("HttpTokens") != "required":
            differences.append("IMDSv2 not required (stackyard requires it; an in-place change)")
        if queue.ami_id and resource["ImageId"] != queue.ami_id:
            differences.append(f"image {resource['ImageId']}, the config pins {queue.ami_id}")
        return found(
            resource["InstanceId"],
            differences,
            queue_instance_id=resource["InstanceId"],
            queue_private_ip=resource.get("PrivateIpAddress"),
        )
