"""master-trust: only the configured AssumeRole ARN may assume ValohaiMaster (seed 001's trust relationship)."""

from __future__ import annotations

from checks.base import Check, Outcome, failed, passed, skipped
from checks.context import VerifyContext
from checks.trust_policies import aws_principals, trust_statements


class MasterTrust(Check):
    id = "master-trust"
    title = "ValohaiMaster trusts the configured AssumeRole ARN, and only it"
    seed = "001"
    needs_outputs = ("master_role_arn",)

    def run(self, context: VerifyContext) -> Outcome:
        expected = context.config.workers.assume_role_arn
        if expected is None:
            return skipped("the config names no workers.assume_role_arn to compare with")
        statements = trust_statements(context.client("iam"), context.output("master_role_arn"))
        principals = sorted({p for s in statements for p in aws_principals(s)})
        if principals != [expected]:
            return failed(f"trusted principals are {principals or 'none'}, expected only {expected}")
        external_id = context.config.workers.external_id
        if external_id:
            conditions = [s.get("Condition", {}).get("StringEquals", {}).get("sts:ExternalId") for s in statements]
            if any(value != external_id for value in conditions):
                return failed(f"{expected} may assume the role without the configured ExternalId")
        return passed(f"only {expected} may assume the role" + (" with the ExternalId" if external_id else ""))
