"""Runs every finder at once; a finder that raises is an ERROR finding with the exception's message."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from stackyard.config.adoption import Adoption, StackAdoption
from stackyard.discovery.core.base import Finder, Finding, Refusal, Result, State
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.registry import all_finders
from stackyard.stack_names import environment_prefix


@dataclass(frozen=True)
class DiscoveryReport:
    findings: list[Finding]
    duration_s: float
    target: str
    environment: str | None = None

    def count(self, state: State) -> int:
        return sum(1 for finding in self.findings if finding.state is state)

    @property
    def exit_code(self) -> int:
        """0 when every lookup answered and nothing is ambiguous, 1 otherwise (a person must decide)."""
        return 1 if self.count(State.AMBIGUOUS) or self.count(State.ERROR) else 0

    def summary(self) -> dict[str, Any]:
        return {state.value.replace(" ", "_"): self.count(state) for state in State} | {
            "total": len(self.findings),
            "duration_s": round(self.duration_s, 3),
            "endpoint": self.target,
            "exit_code": self.exit_code,
        }

    def summary_line(self) -> str:
        s = self.summary()
        return (
            f"discover: {s['found']} found, {s['missing']} missing, {s['ambiguous']} ambiguous, {s['error']} errors, "
            f"{s['not_wanted']} not wanted in {s['duration_s']:.2f} s at {self.target}"
        )

    def refusals(self) -> list[tuple[Finding, Refusal]]:
        return [(finding, refusal) for finding in self.findings for refusal in finding.adoption.refusals]

    def adoption(self) -> Adoption:
        """The adoption file's content for this environment: every found resource in its slot, per stack."""
        stacks: dict[str, StackAdoption] = {}
        for finding in self.findings:
            plan = finding.adoption
            if finding.state is not State.FOUND or not (plan.resources or plan.unmanaged):
                continue
            stack = stacks.setdefault(environment_prefix(self.environment) + finding.stack, StackAdoption())
            stack.resources.update(plan.resources)
            stack.unmanaged.extend(plan.unmanaged)
        return Adoption(stacks=stacks)

    def outputs(self) -> dict[str, dict[str, Any]]:
        """The found resources' values in the shape `cdktf deploy --outputs-file` writes (stack -> outputs)."""
        stacks: dict[str, dict[str, Any]] = {}
        for finding in self.findings:
            if finding.state is State.FOUND and finding.outputs:
                stack = environment_prefix(self.environment) + finding.stack
                stacks.setdefault(stack, {}).update(finding.outputs)
        return stacks


def run_finder(finder: Finder, context: DiscoveryContext) -> Finding:
    try:
        result = finder.find(context) if finder.wanted(context) else Result(State.NOT_WANTED)
        title = finder.describe(context)
    except Exception as error:  # an unreachable or refusing endpoint is reported, never raised
        result, title = Result(State.ERROR, differences=[f"{type(error).__name__}: {error}"]), finder.title
    return Finding(
        finder.id, title, finder.stack, result.state, result.ids, result.differences, result.outputs, result.adoption
    )


def discover(context: DiscoveryContext, environment: str | None = None) -> DiscoveryReport:
    started = time.perf_counter()
    finders = [finder() for finder in all_finders()]
    with ThreadPoolExecutor(max_workers=8, thread_name_prefix="discover") as pool:
        findings = list(pool.map(lambda finder: run_finder(finder, context), finders))
    return DiscoveryReport(findings, time.perf_counter() - started, context.target(), environment)
