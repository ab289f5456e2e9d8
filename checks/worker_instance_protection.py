"""worker-instance-protection: workers may protect themselves from scale-in and describe instances (seed 001)."""

from __future__ import annotations

from checks.base import Check, Outcome, failed, passed
from checks.context import VerifyContext
from checks.iam_permissions import decide

WORKER_ACTIONS = ["autoscaling:SetInstanceProtection", "ec2:DescribeInstances"]


class WorkerInstanceProtection(Check):
    id = "worker-instance-protection"
    title = "ValohaiWorkerRole is allowed SetInstanceProtection and DescribeInstances"
    seed = "001"
    needs_outputs = ("worker_role_arn",)

    def run(self, context: VerifyContext) -> Outcome:
        decisions = decide(context.client("iam"), context.output("worker_role_arn"), WORKER_ACTIONS)
        detail = "; ".join(decision.describe() for decision in decisions)
        evidence = {"decisions": {d.action: d.decision for d in decisions}}
        if all(decision.allowed for decision in decisions):
            return passed(detail, **evidence)
        return failed(detail, **evidence)
