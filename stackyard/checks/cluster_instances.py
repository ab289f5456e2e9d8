"""cluster-instances: the flambé cluster runs with the configured count and types (seed 004)."""

from __future__ import annotations

from stackyard.checks.core.base import Check, Outcome, Severity, failed, passed
from stackyard.checks.core.context import VerifyContext


class ClusterInstances(Check):
    id = "cluster-instances"
    title = "Orchestrator and factories running, with the configured count and types"
    seed = "004"
    severity = Severity.MEDIUM
    remediation = (
        "Start the stopped instances or re-create the missing ones with their flambé tags: `cdktf deploy cluster`"
    )
    order = 120
    needs_outputs = ("orchestrator_instance_id", "factory_instance_ids")

    def run(self, context: VerifyContext) -> Outcome:
        cluster = context.config.cluster
        expected = {context.output("orchestrator_instance_id"): ("Orchestrator", cluster.orchestrator_type)}
        expected |= {i: ("Factory", cluster.factories_type) for i in context.output("factory_instance_ids")}
        if len(expected) != 1 + cluster.factories_num:
            return failed(
                f"the outputs name {len(expected)} instances, the config asks for {1 + cluster.factories_num}"
            )
        reservations = context.client("ec2").describe_instances(InstanceIds=list(expected))["Reservations"]
        found = {i["InstanceId"]: i for r in reservations for i in r["Instances"]}
        problems = []
        for instance_id, (role, instance_type) in expected.items():
            instance = found.get(instance_id)
            if instance is None:
                problems.append(f"{role} {instance_id} not found")
                continue
            tags = {t["Key"]: t["Value"] for t in instance.get("Tags", [])}
            if instance["State"]["Name"] != "running":
                problems.append(f"{role} {instance_id} is {instance['State']['Name']}")
            if instance["InstanceType"] != instance_type:
                problems.append(f"{role} {instance_id} is {instance['InstanceType']}, not {instance_type}")
            if tags.get("Cluster-Name") != cluster.name or tags.get("Role") != role:
                problems.append(f"{instance_id} is not tagged as {cluster.name}'s {role}")
        if problems:
            return failed("; ".join(problems))
        factories = f"{cluster.factories_num} factor{'y' if cluster.factories_num == 1 else 'ies'}"
        return passed(
            f"{cluster.name}: 1 orchestrator ({cluster.orchestrator_type}) and {factories} "
            f"({cluster.factories_type}) running"
        )
