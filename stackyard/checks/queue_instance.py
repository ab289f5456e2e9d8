"""queue-instance: valohai-i-queue is running, requires IMDSv2 and holds its Elastic IP."""

from __future__ import annotations

from stackyard.checks.core.base import Check, Outcome, Severity, failed, passed
from stackyard.checks.core.context import VerifyContext


class QueueInstanceRunning(Check):
    id = "queue-instance"
    title = "Queue instance running, IMDSv2 required, Elastic IP associated"
    seed = "001"
    severity = Severity.HIGH
    remediation = "Start valohai-i-queue, require IMDSv2 and associate valohai-ip-queue with it: `cdktf deploy workers`"
    order = 100
    needs_outputs = ("queue_instance_id", "queue_public_ip")

    def run(self, context: VerifyContext) -> Outcome:
        instance_id, public_ip = context.output("queue_instance_id"), context.output("queue_public_ip")
        ec2 = context.client("ec2")
        reservations = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
        instance = reservations[0]["Instances"][0]
        problems = []
        state = instance["State"]["Name"]
        if state != "running":
            problems.append(f"state is {state}")
        tokens = instance.get("MetadataOptions", {}).get("HttpTokens")
        if tokens != "required":
            problems.append(f"IMDSv2 not required (HttpTokens={tokens})")
        addresses = ec2.describe_addresses(PublicIps=[public_ip])["Addresses"]
        holder = addresses[0].get("InstanceId") if addresses else None
        if holder != instance_id:
            problems.append(f"Elastic IP {public_ip} is associated with {holder or 'nothing'}")
        if problems:
            return failed(f"{instance_id}: {'; '.join(problems)}")
        return passed(f"{instance_id} running, IMDSv2 required, Elastic IP {public_ip} associated")
