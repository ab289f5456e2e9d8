"""What every check shares: its identity and metadata, its result, and the rule that a check needing outputs a
deployment lacks is skipped rather than failed."""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from stackyard.checks.core.context import VerifyContext


class Status(enum.StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    ERROR = "ERROR"
    SKIP = "SKIP"


class Severity(enum.StrEnum):
    """How much a failure hurts (prowler's scale): critical stops training or exposes data, low is hygiene."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class Outcome:
    """What a check found: its status, one sentence naming what it found, and the evidence behind it."""

    status: Status
    detail: str
    evidence: dict[str, Any] = field(default_factory=dict)


def passed(detail: str, **evidence: Any) -> Outcome:
    return Outcome(Status.PASS, detail, evidence)


def failed(detail: str, **evidence: Any) -> Outcome:
    return Outcome(Status.FAIL, detail, evidence)


def skipped(detail: str) -> Outcome:
    return Outcome(Status.SKIP, detail)


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    seed: str
    severity: Severity
    remediation: str
    status: Status
    detail: str
    duration_s: float
    evidence: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status.value,
            "title": self.title,
            "seed": self.seed,
            "severity": self.severity.value,
            "detail": self.detail,
            "remediation": self.remediation,
            "duration_s": round(self.duration_s, 3),
            "evidence": self.evidence,
        }


class Check(ABC):
    """One post-apply check. A module of stackyard/checks/ defines exactly one subclass, named by its id."""

    id: ClassVar[str]
    """Stable identifier, used by --only/--skip and in reports; the module is named after it (a-b -> a_b.py)."""
    title: ClassVar[str]
    """What is checked, in one line."""
    seed: ClassVar[str]
    """The seed document whose promise this check enforces."""
    severity: ClassVar[Severity]
    """How much a FAIL hurts."""
    remediation: ClassVar[str]
    """One line: what to do when it fails."""
    order: ClassVar[int]
    """Place in reports (ascending; unique): related checks sit together, store first, cluster last."""
    needs_outputs: ClassVar[tuple[str, ...]] = ()
    """Deployment outputs the check reads; without them the check is skipped (that stack is not deployed)."""
    optional_outputs: ClassVar[tuple[str, ...]] = ()
    """Outputs the check reads when present (e.g. the store user's key); declared so a rename is caught by tests."""

    def missing_outputs(self, context: VerifyContext) -> list[str]:
        return [name for name in self.needs_outputs if context.outputs.find(name) is None]

    @abstractmethod
    def run(self, context: VerifyContext) -> Outcome:
        """Look at the deployed infrastructure and say what was found. Raising means ERROR."""
