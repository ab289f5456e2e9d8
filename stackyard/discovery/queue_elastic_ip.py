"""queue-elastic-ip: valohai-ip-queue by its Name tag, attached to the queue instance (seed 001)."""

from __future__ import annotations

from typing import Any

from stackyard.discovery.core.base import Result, found, imported
from stackyard.discovery.core.context import DiscoveryContext, name_filter
from stackyard.discovery.core.families import NamedEc2Finder


class QueueElasticIp(NamedEc2Finder):
    id = "queue-elastic-ip"
    title = "Elastic IP"
    order = 160
    id_key = "AllocationId"

    def wanted(self, context: DiscoveryContext) -> bool:
        return context.config.workers.enabled and context.config.queue.enabled

    def name(self, context: DiscoveryContext) -> str:
        return context.names.queue_elastic_ip

    def candidates(self, ec2: Any, filters: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return ec2.describe_addresses(Filters=filters)["Addresses"]

    def with_one(self, context: DiscoveryContext, resource: dict[str, Any]) -> Result:
        queue = context.client("ec2").describe_instances(Filters=name_filter(context.names.queue_instance))
        queue_ids = {i["InstanceId"] for r in queue["Reservations"] for i in r["Instances"]}
        differences = []
        if resource.get("InstanceId") not in queue_ids:
            differences.append(
                f"not attached to {context.names.queue_instance} (to: {resource.get('InstanceId') or 'nothing'})"
            )
        adopt = {"queue-elastic-ip": imported(resource["AllocationId"])}
        if resource.get("AssociationId") and not differences:
            adopt["queue-elastic-ip-association"] = imported(resource["AssociationId"])
        result = found(resource["AllocationId"], differences, queue_public_ip=resource["PublicIp"])
        return result.adopting(adopt)
