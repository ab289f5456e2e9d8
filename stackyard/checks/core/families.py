"""Bases of near-twin checks (checkov's Abs... pattern): a subclass names what differs, the base does the work."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar

from stackyard.aws.iam_documents import principals_of, trust_statements
from stackyard.checks.core.base import Check, Outcome, failed, passed
from stackyard.checks.core.context import VerifyContext
from stackyard.checks.core.iam_permissions import decide


class RolePermissionsCheck(Check):
    """A role (by its ARN output) is allowed every action of ``actions`` on a resource (by its ARN output, else *),
    decided by IAM's policy simulator or, where the endpoint lacks it, from the role's own policies."""

    role_output: ClassVar[str]
    actions: ClassVar[tuple[str, ...]]
    resource_output: ClassVar[str | None] = None

    def run(self, context: VerifyContext) -> Outcome:
        resource = context.output(self.resource_output) if self.resource_output else "*"
        decisions = decide(context.client("iam"), context.output(self.role_output), list(self.actions), resource)
        detail = "; ".join(decision.describe() for decision in decisions)
        evidence = {"decisions": {d.action: d.decision for d in decisions}}
        return (passed if all(d.allowed for d in decisions) else failed)(detail, **evidence)


class RoleTrustCheck(Check):
    """A role's trust policy lets exactly one AWS principal assume it."""

    role_output: ClassVar[str]

    @abstractmethod
    def trusted_principal(self, context: VerifyContext, iam: Any) -> tuple[str, str] | Outcome:
        """The one principal ARN that may assume the role and how to name it in a report, or an Outcome (e.g.
        SKIP) when there is nothing to compare with."""

    def condition_problem(self, context: VerifyContext, statements: list[dict[str, Any]]) -> str | None:
        """What is wrong with the trust statements' conditions, if the check requires any; None when fine."""
        return None

    def condition_note(self, context: VerifyContext) -> str:
        """Appended to the PASS detail when conditions were checked."""
        return ""

    def run(self, context: VerifyContext) -> Outcome:
        iam = context.client("iam")
        trusted = self.trusted_principal(context, iam)
        if isinstance(trusted, Outcome):
            return trusted
        principal, label = trusted
        statements = trust_statements(iam, context.output(self.role_output))
        principals = principals_of(statements)
        if principals != [principal]:
            return failed(f"trusted principals are {principals or 'none'}, expected only {label}")
        problem = self.condition_problem(context, statements)
        if problem:
            return failed(problem)
        return passed(f"only {label} may assume the role{self.condition_note(context)}")
