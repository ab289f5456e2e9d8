"""master-pass-role: the platform's role may pass the worker role to instances (seed 001, statement Sid 4)."""

from __future__ import annotations

from checks.base import Check, Outcome, failed, passed
from checks.context import VerifyContext
from checks.iam_permissions import decide


class MasterPassRole(Check):
    id = "master-pass-role"
    title = "ValohaiMaster may iam:PassRole and iam:GetRole the worker role"
    seed = "001"
    needs_outputs = ("master_role_arn", "worker_role_arn")

    def run(self, context: VerifyContext) -> Outcome:
        worker_role = context.output("worker_role_arn")
        decisions = decide(
            context.client("iam"), context.output("master_role_arn"), ["iam:PassRole", "iam:GetRole"], worker_role
        )
        detail = "; ".join(decision.describe() for decision in decisions)
        return (passed if all(d.allowed for d in decisions) else failed)(detail)
