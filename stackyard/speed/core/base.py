"""What every measurement shares: a direction of transfer, timed on one test object."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from stackyard.speed.core.context import SpeedContext


@dataclass
class TestObject:
    """One object of the run: written by the upload, read back by the download."""

    __test__ = False  # not a pytest class

    key: str
    size: int
    seed: int
    sha256: str | None = None
    """Of what was uploaded; the download must read the same."""
    version_id: str | None = None


class TransferFailed(Exception):
    """A transfer finished but moved the wrong bytes; the message says what differed."""


class Measurement(ABC):
    """One direction of transfer. A module of stackyard/speed/ defines exactly one subclass, named by its id."""

    id: ClassVar[str]
    title: ClassVar[str]
    """The table's heading, seed 003's words."""
    order: ClassVar[int]
    writes: ClassVar[bool] = False
    """It creates the object: the runner records the version for clean-up, outside the timed call."""

    def prepare(self, test_object: TestObject) -> None:  # noqa: B027 - most measurements prepare nothing
        """Work before the timed transfer (not part of its time)."""

    @abstractmethod
    def transfer(self, context: SpeedContext, test_object: TestObject) -> None:
        """Move the object's bytes once (the runner times this call); raise TransferFailed on wrong bytes."""


@dataclass(frozen=True)
class Timing:
    direction: str
    size: int
    raw_s: list[float] = field(default_factory=list)
    """Every run's wall time of the transfer."""
    overhead_s: float = 0.0
    """The median time of a tiny transfer in the same direction, subtracted (seed 003's method)."""

    @property
    def median_raw_s(self) -> float:
        ordered = sorted(self.raw_s)
        middle = len(ordered) // 2
        return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

    @property
    def time_s(self) -> float:
        return max(self.median_raw_s - self.overhead_s, 0.0)

    @property
    def mib_per_s(self) -> float | None:
        """None when the transfer took no longer than the overhead (too small to measure a rate)."""
        return self.size / 2**20 / self.time_s if self.time_s > 0 else None
