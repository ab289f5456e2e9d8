"""stray-instances: no instance tagged as this cluster's or queue's exists beyond those the outputs name.

A deploy killed mid-apply leaves instances Terraform never recorded; the next deploy makes them again, and the
strays keep running (and billing, and holding the cluster's name) where nothing manages them."""

from __future__ import annotations

from stackyard.checks.core.base import Check, Outcome, Severity, failed, passed, skipped
from stackyard.checks.core.context import VerifyContext
from stackyard.config.resource_names import ResourceNames

LIVE = ["pending", "running", "stopping", "stopped"]


class StrayInstances(Check):
    id = "stray-instances"
    title = "No instance tagged as this cluster's or queue's beyond those the deployment records"
    seed = "004"
    severity = Severity.MEDIUM
    remediation = (
        "Terminate the instances named (an interrupted deploy made them; Terraform does not know them), "
        "or `stackyard adopt` them into an empty slot"
    )
    order = 125
    optional_outputs = ("orchestrator_instance_id", "factory_instance_ids", "queue_instance_id")

    def run(self, context: VerifyContext) -> Outcome:
        config = context.config
        searches: list[tuple[str, list[dict[str, object]]]] = []
        known: set[str] = set()
        orchestrator = context.outputs.find("orchestrator_instance_id")
        if orchestrator is not None:
            known |= {orchestrator, *(context.outputs.find("factory_instance_ids") or [])}
            cluster = [
                {"Name": "tag:Purpose", "Values": ["flambe"]},
                {"Name": "tag:Cluster-Name", "Values": [config.cluster.name]},
            ]
            searches.append((f"cluster {config.cluster.name}", cluster))
        queue = context.outputs.find("queue_instance_id")
        if queue is not None:
            known.add(queue)
            name = ResourceNames(config.network.name_prefix).queue_instance
            searches.append((f"queue {name}", [{"Name": "tag:Name", "Values": [name]}]))
        if not searches:
            return skipped("no cluster or queue instance in the outputs (those stacks are not deployed)")
        ec2 = context.client("ec2")
        strays: list[str] = []
        for what, filters in searches:
            state = [*filters, {"Name": "instance-state-name", "Values": LIVE}]
            for reservation in ec2.describe_instances(Filters=state)["Reservations"]:
                for instance in reservation["Instances"]:
                    if instance["InstanceId"] not in known:
                        tags = {tag["Key"]: tag["Value"] for tag in instance.get("Tags", [])}
                        label = tags.get("Name", what)
                        strays.append(f"{instance['InstanceId']} ({label}, {instance['State']['Name']})")
        looked = " and ".join(what for what, _ in searches)
        if strays:
            return failed(
                f"{len(strays)} instance(s) tagged as {looked} that the deployment does not record: "
                + ", ".join(sorted(strays)),
                strays=sorted(strays),
            )
        return passed(f"only the {len(known)} recorded instance(s) carry the tags of {looked}")
