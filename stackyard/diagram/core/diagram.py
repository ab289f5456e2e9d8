"""The picture before it is drawn: nodes (each of a kind, which sets its look), nodes grouped in nested boxes
(the account, the VPC, a subnet), and labelled edges. Edges between the same two nodes are merged, their labels
joined, so the three ports of one address make one arrow."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Node:
    id: str
    label: str
    kind: str
    """What it is, for its look: internet, address, gateway, group, instance, bucket, role, user, profile, ..."""
    group: str | None = None
    """The box it sits in (a Group id), None: outside every box."""


@dataclass
class Group:
    id: str
    label: str
    parent: str | None = None


@dataclass
class Edge:
    source: str
    target: str
    labels: list[str] = field(default_factory=list)
    kind: str = "flow"
    """flow (traffic), trust (IAM), attach (a part of), mount (s3fs)."""


@dataclass
class Diagram:
    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)

    def node(self, id: str, label: str, kind: str, group: str | None = None) -> str:
        """Add the node once (the first label wins) and return its id."""
        if id not in self.nodes:
            self.nodes[id] = Node(id, label, kind, group)
        return id

    def group(self, id: str, label: str, parent: str | None = None) -> str:
        if id not in self.groups:
            self.groups[id] = Group(id, label, parent)
        return id

    def edge(self, source: str, target: str, label: str, kind: str = "flow") -> None:
        """An arrow; a second one of the same kind between the same nodes adds its label to the first."""
        if source not in self.nodes or target not in self.nodes:
            raise KeyError(f"edge {source} -> {target}: draw both nodes first")
        edge = self.edges.setdefault((source, target, kind), Edge(source, target, kind=kind))
        if label and label not in edge.labels:
            edge.labels.append(label)
