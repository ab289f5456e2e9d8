"""Runs the selected checks concurrently; a check that raises becomes ERROR with the exception's message."""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, NoCredentialsError, ReadTimeoutError

from stackyard.checks.core.base import Check, CheckResult, Outcome, Status, skipped
from stackyard.checks.core.context import VerifyContext


@dataclass(frozen=True)
class VerifyReport:
    results: list[CheckResult]
    duration_s: float
    """Wall time of the whole run (the checks run at once)."""
    target: str = ""
    """Which AWS endpoint the checks talked to (VerifyContext.target)."""
    outputs_file: str = ""
    """The outputs file that named the deployment checked (StackOutputs.path)."""

    def count(self, status: Status) -> int:
        return sum(1 for result in self.results if result.status is status)

    @property
    def exit_code(self) -> int:
        """0 when everything passed or was skipped, 1 when anything failed or errored."""
        return 1 if self.count(Status.FAIL) or self.count(Status.ERROR) else 0

    def summary(self) -> dict[str, object]:
        return {
            "total": len(self.results),
            "passed": self.count(Status.PASS),
            "failed": self.count(Status.FAIL),
            "errors": self.count(Status.ERROR),
            "skipped": self.count(Status.SKIP),
            "duration_s": round(self.duration_s, 3),
            "exit_code": self.exit_code,
            "endpoint": self.target,
        }

    def blocked(self) -> str | None:
        """One line when every check that ran was stopped by the same thing before AWS could answer (the endpoint is
        down or wrong, or there are no credentials): the same error on every row says nothing more."""
        ran = [result for result in self.results if result.status is not Status.SKIP]
        for cause, (what, advice) in BLOCKED_BY.items():
            if ran and all(cause in result.evidence for result in ran):
                stopped = f"{len(ran)} checks stopped ({ran[0].detail})"
                return f"verify: {what.format(target=self.target)}: {stopped}; {advice}"
        return None

    def summary_line(self) -> str:
        s = self.summary()
        return (
            f"verify: {s['passed']} passed, {s['failed']} failed, {s['errors']} errors, {s['skipped']} skipped "
            f"in {s['duration_s']:.2f} s against {self.target}"
        )


SKIPPED_BY_OPTION = "skipped by --skip"
CANNOT_CONNECT = "cannot_connect"
"""Evidence of an ERROR whose call found no AWS endpoint to talk to."""
NO_CREDENTIALS = "no_credentials"
"""Evidence of an ERROR whose call found no AWS credentials to sign it with."""
BLOCKED_BY = {  # cause: (what went wrong, what to do)
    CANNOT_CONNECT: (
        "cannot reach {target}",
        "is it up, and are aws.endpoint_url (or AWS_ENDPOINT_URL), the region and the network right?",
    ),
    NO_CREDENTIALS: (
        "no AWS credentials for {target}",
        "set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run where an instance role applies",
    ),
}


def run_check(check: Check, context: VerifyContext, skip: bool = False) -> CheckResult:
    started = time.perf_counter()
    missing = check.missing_outputs(context)
    if skip:
        outcome = skipped(SKIPPED_BY_OPTION)
    elif missing:
        outcome = skipped(f"no {', '.join(missing)} in the outputs (that stack is not deployed)")
    else:
        try:
            outcome = check.run(context)
        except Exception as error:  # a broken check or an unreachable service is reported, never raised
            outcome = errored(error, context.timeout)
    return CheckResult(
        id=check.id,
        title=check.title,
        seed=check.seed,
        severity=check.severity,
        remediation=check.remediation,
        status=outcome.status,
        detail=outcome.detail,
        duration_s=time.perf_counter() - started,
        evidence=outcome.evidence,
    )


def errored(error: Exception, timeout: float) -> Outcome:
    """ERROR naming the exception; a timeout says what to raise; a failed connect or missing credentials is marked."""
    detail = f"{type(error).__name__}: {error}"
    if isinstance(error, (ReadTimeoutError, ConnectTimeoutError, TimeoutError)):
        detail += f"; no answer within --timeout {timeout:g} s: raise it if the endpoint is slow or busy"
    if isinstance(error, (EndpointConnectionError, ConnectTimeoutError)):
        return Outcome(Status.ERROR, detail, {CANNOT_CONNECT: True})
    if isinstance(error, NoCredentialsError):
        return Outcome(Status.ERROR, detail, {NO_CREDENTIALS: True})
    return Outcome(Status.ERROR, detail)


def run_checks(checks: Sequence[Check], context: VerifyContext, skip: Collection[str] = ()) -> VerifyReport:
    """All checks at once: the run takes about as long as its slowest check. Those in ``skip`` are reported as
    SKIP, not run."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, len(checks)), thread_name_prefix="check") as pool:
        results = list(pool.map(lambda check: run_check(check, context, check.id in skip), checks))
    return VerifyReport(
        results=results,
        duration_s=time.perf_counter() - started,
        target=context.target(),
        outputs_file=context.outputs.path,
    )
