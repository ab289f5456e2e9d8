"""What every finder shares: its identity, its finding, and the helpers that make one."""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

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

    def as_dict(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "title": self.title,
            "stack": self.stack,
            "state": self.state.value,
            "ids": self.ids,
            "differences": self.differences,
            "outputs": self.outputs,
        }


@dataclass(frozen=True)
class Result:
    """What a finder returns; the runner adds the finder's identity to make the Finding."""

    state: State
    ids: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)


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
