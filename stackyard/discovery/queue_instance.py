"""queue-instance: valohai-i-queue by its Name tag (not terminated), its type and IMDS setting (seed 001)."""

from __future__ import annotations

from typing import Any

from stackyard.discovery.core.base import Refusal, Result, found, imported
from stackyard.discovery.core.context import DiscoveryContext, name_filter
from stackyard.discovery.core.families import NamedEc2Finder
from stackyard.discovery.core.instances import disk_refusal, kept_attributes, key_refusal, root_volume

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
        queue, differences, ec2 = context.config.queue, [], context.client("ec2")
        if resource["InstanceType"] != queue.instance_type:
            differences.append(f"type {resource['InstanceType']}, the config: {queue.instance_type}")
        if resource.get("MetadataOptions", {}).get("HttpTokens") != "required":
            differences.append("IMDSv2 not required (stackyard requires it; an in-place change)")
        volume = root_volume(ec2, resource)
        refusals = [
            key_refusal(resource, "queue.key_pair.name", queue.key_pair.name),
            disk_refusal(volume, "queue.disk_size_gb", queue.disk_size_gb),
            self._subnet_refusal(context, ec2, resource),
        ]
        if queue.ami_id and resource["ImageId"] != queue.ami_id:
            differences.append(f"image {resource['ImageId']}, the config pins {queue.ami_id}")
            refusals.append(Refusal("queue.ami_id", queue.ami_id, resource["ImageId"], "replace the queue instance"))
        keep = kept_attributes(resource, volume)
        differences += [
            f"{attribute} is {value}: kept (changing it needs a new instance)" for attribute, value in keep.items()
        ]
        result = found(
            resource["InstanceId"],
            differences,
            queue_instance_id=resource["InstanceId"],
            queue_private_ip=resource.get("PrivateIpAddress"),
        )
        return result.adopting({"queue-instance": imported(resource["InstanceId"], keep=keep)}, refusals)

    def _subnet_refusal(self, context: DiscoveryContext, ec2: Any, resource: dict[str, Any]) -> Refusal | None:
        """The stack runs the queue in the first subnet; an instance elsewhere would be replaced."""
        network = context.config.network
        if network.existing is not None:
            first, where = network.existing.subnet_ids[0], "network.existing.subnet_ids[0]"
        else:
            subnets = ec2.describe_subnets(Filters=name_filter(context.names.subnet(1)))["Subnets"]
            first = subnets[0]["SubnetId"] if len(subnets) == 1 else f"a new {context.names.subnet(1)}"
            where = context.names.subnet(1)
        if resource.get("SubnetId") == first:
            return None
        return Refusal(
            "queue",
            first,
            resource.get("SubnetId"),
            f"replace the queue instance, which stackyard runs in {where}",
            fix=f"move the queue to {where}, or set queue.enabled: false and keep running this one yourself",
        )
