"""cluster: a flambé cluster the way flambé finds its own (seed 004, "reuse by name"): running instances tagged
Purpose=flambe, creator=<cluster.creator>, Cluster-Name=<cluster.name>, each with its Role."""

from __future__ import annotations

from stackyard.discovery.core.base import Finder, Result, ambiguous, found, missing
from stackyard.discovery.core.context import DiscoveryContext, tags_of
from stackyard.stack_names import CLUSTER_STACK


class Cluster(Finder):
    id = "cluster"
    title = "flambé cluster"
    stack = CLUSTER_STACK
    order = 190

    def wanted(self, context: DiscoveryContext) -> bool:
        return context.config.cluster.enabled

    def describe(self, context: DiscoveryContext) -> str:
        cluster = context.config.cluster
        return f"flambé cluster {cluster.name} of {cluster.creator} (Purpose=flambe)"

    def find(self, context: DiscoveryContext) -> Result:
        cluster = context.config.cluster
        filters = [
            {"Name": "tag:Purpose", "Values": ["flambe"]},
            {"Name": "tag:creator", "Values": [cluster.creator]},
            {"Name": "tag:Cluster-Name", "Values": [cluster.name]},
            {"Name": "instance-state-name", "Values": ["running"]},
        ]
        reservations = context.client("ec2").describe_instances(Filters=filters)["Reservations"]
        instances = [instance for reservation in reservations for instance in reservation["Instances"]]
        orchestrators = [i for i in instances if tags_of(i).get("Role") == "Orchestrator"]
        factories = sorted((i for i in instances if tags_of(i).get("Role") == "Factory"), key=_name)
        if not orchestrators:
            return missing()
        if len(orchestrators) > 1:  # flambé refuses this too: "Found 2 Orchestrator instances with same name"
            return ambiguous([i["InstanceId"] for i in orchestrators])
        (orchestrator,) = orchestrators
        differences = []
        if len(factories) != cluster.factories_num:
            differences.append(f"{len(factories)} factories, the config: {cluster.factories_num}")
        for instance, wanted in [
            (orchestrator, cluster.orchestrator_type),
            *((f, cluster.factories_type) for f in factories),
        ]:
            if instance["InstanceType"] != wanted:
                differences.append(f"{_name(instance)} is {instance['InstanceType']}, the config: {wanted}")
        return found(
            orchestrator["InstanceId"],
            differences,
            cluster_name=cluster.name,
            orchestrator_instance_id=orchestrator["InstanceId"],
            orchestrator_public_ip=orchestrator.get("PublicIpAddress"),
            orchestrator_private_ip=orchestrator.get("PrivateIpAddress"),
            factory_instance_ids=[f["InstanceId"] for f in factories],
            factory_public_ips=[f.get("PublicIpAddress") for f in factories],
            factory_private_ips=[f.get("PrivateIpAddress") for f in factories],
        )


def _name(instance: dict) -> str:
    return tags_of(instance).get("Name", instance["InstanceId"])
