"""The architecture diagram, drawn from the synthesized Terraform JSON (so it cannot drift from what is deployed):
each layer (stackyard/diagram/layers/, one concern per module) adds its nodes and edges, render.py draws them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from stackyard.diagram.core.diagram import Diagram
from stackyard.diagram.core.layer import Layer
from stackyard.diagram.core.terraform import TerraformStacks
from stackyard.diagram.render import to_graphviz
from stackyard.module_registry import members

FORMATS = ("svg", "png")


@cache
def all_layers() -> tuple[type[Layer], ...]:
    return members("stackyard.diagram.layers", Layer, required=("draw",))


def draw(stacks: TerraformStacks, title: str) -> Diagram:
    diagram = Diagram(title)
    for layer in all_layers():
        layer().draw(stacks, diagram)
    return diagram


def write(diagram: Diagram, out: Path) -> None:
    """Render with Graphviz's dot into ``out``; its suffix (.svg or .png) is the format."""
    fmt = out.suffix.lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"{out}: give a .svg or .png file")
    out.write_bytes(to_graphviz(diagram).pipe(format=fmt))


__all__ = ["FORMATS", "Diagram", "TerraformStacks", "draw", "write"]
