"""The stacks' names, in the order they are applied: shared by generation, handoff and verification."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stackyard.config import StackyardConfig

DATA_STACK = "data"
WORKERS_STACK = "workers"
CLUSTER_STACK = "cluster"
STACK_ORDER = (DATA_STACK, WORKERS_STACK, CLUSTER_STACK)


def environment_prefix(environment: str | None) -> str:
    """What an environment's stack names start with: "<env>-" (<env>-data, ...); "" without environments."""
    return f"{environment}-" if environment else ""


def in_apply_order(stacks: list[str]) -> list[str]:
    """Stack names (<env>-data, ..., or data, ...) grouped by environment, each group in STACK_ORDER."""

    def key(name: str) -> tuple[str, int]:
        environment, _, kind = name.rpartition("-")
        return environment, STACK_ORDER.index(kind) if kind in STACK_ORDER else len(STACK_ORDER)

    return sorted(stacks, key=key)


@dataclass(frozen=True)
class PlannedStack:
    name: str
    """<env>-data, ... or data, ..."""
    kind: str
    """data, workers or cluster."""
    environment: str | None


def planned_stacks(config: StackyardConfig) -> list[PlannedStack]:
    """The stacks a config makes, in the order to apply them: per environment, data, then workers, then cluster."""
    sections = {DATA_STACK: "data_store", WORKERS_STACK: "workers", CLUSTER_STACK: "cluster"}
    return [
        PlannedStack(environment_prefix(name) + kind, kind, name)
        for name, environment in config.environment_configs()
        for kind in STACK_ORDER
        if getattr(environment, sections[kind]).enabled
    ]
