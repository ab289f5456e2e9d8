"""What every finder shares: its identity, its finding, and the helpers that make one."""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from stackyard.config.adoption import AdoptedResource

if TYPE_CHECKING:
    from stackyard.discovery.core.context import DiscoveryContext


class State(enum.StrEnum):
    FOUND = "found"
    MISSING = "missing"
    AMBIGUOUS = "ambiguous"
    """More than one resource answers to the name: a person must say which (nothing is taken over)."""
    NOT_WANTED = "not wanted"
    """The config does not create this resource (its feature is off), so nothing was looked for."""
    ERROR = "error"


@dataclass(frozen=True)
class Refusal:
    """A difference adoption will not take over: Terraform would replace or delete a resource holding data or
    traffic. The fix is to make the config say what exists."""

    field: str
    """The config field, dotted (network.vpc_cidr)."""
    config_value: Any
    found_value: Any
    why: str
    """What Terraform would do, e.g. "replace the VPC and everything in it"."""
    fix: str | None = None
    """What to do instead, when it is not setting the field to the found value."""

    def line(self) -> str:
        fix = self.fix or f"set {self.field} to {self.found_value!r} in the config to take it over as it is"
        return (
            f"{self.field} = {self.config_value!r}, but what exists has {self.found_value!r}: adopting it would "
            f"{self.why}; {fix}."
        )


@dataclass(frozen=True)
class AdoptionPlan:
    """What `stackyard adopt` takes from one finding."""

    resources: dict[str, AdoptedResource] = field(default_factory=dict)
    """Slot -> the found resource (see stackyard/config/adoption.py)."""
    refusals: list[Refusal] = field(default_factory=list)
    unmanaged: list[str] = field(default_factory=list)
    """Found, with no place in the stack: listed, left alone."""


def imported(import_id: str, keep: dict[str, Any] | None = None, ignore: list[str] | None = None) -> AdoptedResource:
    return AdoptedResource(import_id=import_id, keep=keep or {}, ignore=ignore or [])


def used(existing: str) -> AdoptedResource:
    return AdoptedResource(existing=existing)


@dataclass(frozen=True)
class Finding:
    resource: str
    """The finder's id."""
    title: str
    stack: str
    state: State
    ids: list[str] = field(default_factory=list)
    """What was found: one id, or every candidate when ambiguous."""
    differences: list[str] = field(default_factory=list)
    """How the found resource differs from what the config would create."""
    outputs: dict[str, Any] = field(default_factory=dict)
    """The stack outputs this resource answers for, as `cdktf deploy --outputs-file` would write them."""
    adoption: AdoptionPlan = field(default_factory=AdoptionPlan)

    def as_dict(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "title": self.title,
            "stack": self.stack,
            "state": self.state.value,
            "ids": self.ids,
            "differences": self.differences,
            "outputs": self.outputs,
            "adopt": {slot: entry.model_dump(exclude_defaults=True) for slot, entry in self.adoption.resources.items()},
            "refused": [refusal.line() for refusal in self.adoption.refusals],
            "unmanaged": self.adoption.unmanaged,
        }


@dataclass(frozen=True)
class Result:
    """What a finder returns; the runner adds the finder's identity to make the Finding."""

    state: State
    ids: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    adoption: AdoptionPlan = field(default_factory=AdoptionPlan)

    def adopting(
        self,
        resources: dict[str, AdoptedResource] | None = None,
        refusals: list[Refusal | None] | None = None,
        unmanaged: list[str] | None = None,
    ) -> Result:
        """This result with what adoption takes from it (refusals that are None are dropped)."""
        adoption = AdoptionPlan(resources or {}, [r for r in refusals or [] if r is not None], unmanaged or [])
        return replace(self, adoption=adoption)


def found(resource_id: str, differences: list[str] | None = None, **outputs: Any) -> Result:
    return Result(State.FOUND, [resource_id], differences or [], outputs)


def missing() -> Result:
    return Result(State.MISSING)


def ambiguous(candidates: list[str]) -> Result:
    return Result(State.AMBIGUOUS, sorted(candidates))


def by_count(candidates: list[str], one: Any) -> Result:
    """missing, ambiguous, or ``one()`` (called only when there is exactly one candidate)."""
    if not candidates:
        return missing()
    if len(candidates) > 1:
        return ambiguous(candidates)
    return one()


class Finder(ABC):
    """Finds one kind of resource. A module of stackyard/discovery/ defines exactly one subclass, named by its id."""

    id: ClassVar[str]
    title: ClassVar[str]
    """What is looked for, in one line (how it is recognised)."""
    stack: ClassVar[str]
    """The stack (data, workers, cluster) that would create it."""
    order: ClassVar[int]
    """Place in reports (ascending, unique)."""

    def wanted(self, context: DiscoveryContext) -> bool:
        """Whether the config creates this resource at all; when not, it is reported as not wanted."""
        return True

    def describe(self, context: DiscoveryContext) -> str:
        """The title with the config's names filled in (default: the title)."""
        return self.title

    @abstractmethod
    def find(self, context: DiscoveryContext) -> Result:
        """Look for the resource with read-only calls. Raising means ERROR."""
