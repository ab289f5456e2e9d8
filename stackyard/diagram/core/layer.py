"""A layer draws one concern of the architecture (network, compute, firewall, storage, IAM) from the stacks."""

from __future__ import annotations

from abc import ABC, abstractmethod

from stackyard.diagram.core.diagram import Diagram
from stackyard.diagram.core.terraform import TerraformStacks

ACCOUNT = "account"
"""The box every AWS resource sits in."""
INTERNET = "internet"
"""The node for 0.0.0.0/0."""


class Layer(ABC):
    id: str
    order: int
    """Layers draw in ascending order: boxes (network) before what sits in them."""

    @abstractmethod
    def draw(self, stacks: TerraformStacks, diagram: Diagram) -> None: ...


def box_of(stacks: TerraformStacks, diagram: Diagram, stack: str, value: object, kind: str) -> str | None:
    """The box a resource's subnet or VPC argument names: a referenced resource or data source, or a literal id
    (the network layer's ``<kind>:<id>`` boxes of an existing network); None when no box is drawn for it."""
    address = stacks.target(stack, value)
    if address in diagram.groups:
        return address
    literal = f"{kind}:{value}"
    return literal if literal in diagram.groups else None
