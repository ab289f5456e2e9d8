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


def subnet_box(stacks: TerraformStacks, diagram: Diagram, stack: str, subnet: object) -> str | None:
    """The box of the subnet a resource names: a referenced subnet or data source, or a literal subnet id."""
    address = stacks.target(stack, subnet)
    if address in diagram.groups:
        return address
    literal = f"subnet:{subnet}"
    return literal if literal in diagram.groups else None
