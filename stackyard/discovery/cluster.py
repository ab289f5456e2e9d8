"""cluster: a flambé cluster the way flambé finds its own (seed 004, "reuse by name"): running instances tagged
Purpose=flambe, creator=<cluster.creator>, Cluster-Name=<cluster.name>, each with its Role."""

from __future__ import annotations

from collections import Counter
from typing import Any

from stackyard.config.adoption import AdoptedResource
from stackyard.discovery.core.base import Finder, Refusal, Result, ambiguous, found, imported, missing
from stackyard.discovery.core.context import DiscoveryContext, name_filter, tags_of
from stackyard.discovery.core.instances import disk_refusal, kept_attributes, key_refusal, root_volume
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
        ec2 = context.client("ec2")
        reservations = ec2.describe_instances(Filters=filters)["Reservations"]
        instances = [instance for reservation in reservations for instance in reservation["Instances"]]
        names = Counter(_name(i) for i in instances)
        twins = [i["InstanceId"] for i in instances if names[_name(i)] > 1]
        if twins:  # an interrupted deploy ran a node again: which one holds the work is for a person to say
            return ambiguous(twins)
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
        result = found(
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
        return self._adopting(context, ec2, result, orchestrator, factories)

    def _adopting(
        self, context: DiscoveryContext, ec2: Any, result: Result, orchestrator: dict, factories: list[dict]
    ) -> Result:
        """Each instance in the slot of the node named like it (<cluster>_orchestrator, <cluster>_factory_<n>)."""
        cluster = context.config.cluster
        slots = {f"{cluster.name}_orchestrator": "orchestrator"} | {
            f"{cluster.name}_factory_{number}": f"factory-{number}" for number in range(1, cluster.factories_num + 1)
        }
        adopt: dict[str, AdoptedResource] = {}
        unmanaged, refusals = [], []
        subnet = self._subnet(context, ec2)
        for instance in [orchestrator, *factories]:
            slot = slots.get(_name(instance))
            if slot is None:
                unmanaged.append(f"{_name(instance)} ({instance['InstanceId']}): no such node in the config")
                continue
            volume = root_volume(ec2, instance)
            keep = kept_attributes(instance, volume)
            if not _has_public_address(instance):
                keep["associate_public_ip_address"] = False
            # The first-boot script ran long ago (or never, for flambé's own): a new one would only stop and
            # start the instance.
            adopt[slot] = imported(instance["InstanceId"], keep=keep, ignore=["user_data"])
            refusals += [
                key_refusal(instance, "cluster.key_name", cluster.key_name),
                disk_refusal(volume, "cluster.volume_size", cluster.volume_size),
                _tenancy_refusal(instance, cluster.dedicated),
            ]
            if instance.get("SubnetId") != subnet:
                refusals.append(
                    Refusal("cluster.subnet_id", cluster.subnet_id, instance.get("SubnetId"), "replace the instance")
                )
        return result.adopting(adopt, _unique(refusals), unmanaged)

    def _subnet(self, context: DiscoveryContext, ec2: Any) -> str | None:
        """The subnet the stack puts the cluster in: cluster.subnet_id, else the workers' first subnet."""
        if context.config.cluster.subnet_id:
            return context.config.cluster.subnet_id
        subnets = ec2.describe_subnets(Filters=name_filter(context.names.subnet(1)))["Subnets"]
        return subnets[0]["SubnetId"] if len(subnets) == 1 else None


def _has_public_address(instance: dict) -> bool:
    """Whether the primary network interface has a public address association: what Terraform reads back as
    associate_public_ip_address (moto reports an empty association for every instance, and so does Terraform)."""
    primary = [i for i in instance.get("NetworkInterfaces", []) if i.get("Attachment", {}).get("DeviceIndex") == 0]
    return bool(instance.get("PublicIpAddress")) or any("Association" in interface for interface in primary)


def _tenancy_refusal(instance: dict, dedicated: bool) -> Refusal | None:
    found_dedicated = instance.get("Placement", {}).get("Tenancy") == "dedicated"
    if found_dedicated == dedicated:
        return None
    return Refusal("cluster.dedicated", dedicated, found_dedicated, "replace the instance (tenancy is fixed)")


def _unique(refusals: list[Refusal | None]) -> list[Refusal | None]:
    """One refusal per field and value: every node of a cluster usually differs the same way."""
    seen, unique = set(), []
    for refusal in refusals:
        key = None if refusal is None else (refusal.field, repr(refusal.found_value))
        if refusal is not None and key not in seen:
            seen.add(key)
            unique.append(refusal)
    return unique


def _name(instance: dict) -> str:
    return tags_of(instance).get("Name", instance["InstanceId"])
