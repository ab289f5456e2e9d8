"""master-trust: only the configured AssumeRole ARN may assume ValohaiMaster (seed 001's trust relationship)."""

from __future__ import annotations

from typing import Any

from stackyard.checks.core.base import Outcome, Severity, skipped
from stackyard.checks.core.context import VerifyContext
from stackyard.checks.core.families import RoleTrustCheck


class MasterTrust(RoleTrustCheck):
    id = "master-trust"
    title = "ValohaiMaster trusts the configured AssumeRole ARN, and only it"
    seed = "001"
    severity = Severity.CRITICAL
    remediation = "Make ValohaiMaster's trust policy name only workers.assume_role_arn: `cdktf deploy workers`"
    order = 80
    role_output = "master_role_arn"
    needs_outputs = (role_output,)

    def trusted_principal(self, context: VerifyContext, iam: Any) -> tuple[str, str] | Outcome:
        expected = context.config.workers.assume_role_arn
        if expected is None:
            return skipped("the config names no workers.assume_role_arn to compare with")
        return expected, expected

    def condition_problem(self, context: VerifyContext, statements: list[dict[str, Any]]) -> str | None:
        external_id = context.config.workers.external_id
        if not external_id:
            return None
        conditions = [s.get("Condition", {}).get("StringEquals", {}).get("sts:ExternalId") for s in statements]
        if any(value != external_id for value in conditions):
            return f"{context.config.workers.assume_role_arn} may assume the role without the configured ExternalId"
        return None

    def condition_note(self, context: VerifyContext) -> str:
        return " with the ExternalId" if context.config.workers.external_id else ""
