"""A Diagram as Graphviz: boxes nested as clusters (the account, the VPC, each subnet), nodes styled by kind,
edges by kind; rendered to SVG or PNG by Graphviz's `dot`."""

from __future__ import annotations

import graphviz

from stackyard.diagram.core.diagram import Diagram

FONT = "Helvetica"
NODE_STYLES = {
    "internet": {"shape": "ellipse", "fillcolor": "#dbeafe"},
    "cidr": {"shape": "ellipse", "fillcolor": "#fef9c3"},
    "platform": {"shape": "box3d", "fillcolor": "#fce7f3"},
    "gateway": {"shape": "box", "fillcolor": "#e0e7ff"},
    "route": {"shape": "box", "fillcolor": "#ffffff"},
    "instance": {"shape": "box", "fillcolor": "#ffedd5"},
    "address": {"shape": "box", "fillcolor": "#ffedd5"},
    "firewall": {"shape": "box", "fillcolor": "#fee2e2"},
    "bucket": {"shape": "cylinder", "fillcolor": "#dcfce7"},
    "role": {"shape": "box", "fillcolor": "#ede9fe"},
    "user": {"shape": "box", "fillcolor": "#ede9fe"},
    "profile": {"shape": "box", "fillcolor": "#f5f3ff"},
    "secret": {"shape": "box", "fillcolor": "#fef3c7"},
}
EDGE_STYLES = {
    "flow": {"color": "#334155"},
    "trust": {"color": "#7c3aed", "penwidth": "1.6"},
    "attach": {"color": "#94a3b8", "style": "dashed", "arrowhead": "none"},
    "mount": {"color": "#15803d", "penwidth": "1.6"},
}


def dot_id(id: str) -> str:
    """A node id as Graphviz takes it: a colon in an edge's end would start a port name."""
    return id.replace(":", "_")


def to_graphviz(diagram: Diagram) -> graphviz.Digraph:
    graph = graphviz.Digraph(
        "stackyard",
        graph_attr={
            "rankdir": "LR",
            "fontname": FONT,
            "label": diagram.title,
            "labelloc": "t",
            "fontsize": "18",
            "compound": "true",
            "nodesep": "0.35",
            "ranksep": "0.9",
        },
    )
    graph.attr("node", fontname=FONT, fontsize="11", style="rounded,filled", color="#475569")
    graph.attr("edge", fontname=FONT, fontsize="9")
    children: dict[str | None, list[str]] = {}
    for group in diagram.groups.values():
        children.setdefault(group.parent, []).append(group.id)
    members: dict[str | None, list[str]] = {}
    for node in diagram.nodes.values():
        members.setdefault(node.group, []).append(node.id)

    def fill(target: graphviz.Digraph, group: str | None, depth: int) -> None:
        for node in members.get(group, []):
            item = diagram.nodes[node]
            target.node(dot_id(node), item.label, **NODE_STYLES.get(item.kind, {}))
        for child in children.get(group, []):
            with target.subgraph(name=f"cluster_{child}") as box:
                box.attr(
                    label=diagram.groups[child].label,
                    fontname=FONT,
                    fontsize="12",
                    labeljust="l",
                    style="rounded" + (",dashed" if depth == 0 else ",filled"),
                    fillcolor=["#ffffff", "#f0fdf4", "#f8fafc", "#ffffff"][min(depth, 3)],
                    color="#64748b",
                )
                fill(box, child, depth + 1)

    fill(graph, None, 0)
    for edge in diagram.edges.values():
        graph.edge(dot_id(edge.source), dot_id(edge.target), "\n".join(edge.labels), **EDGE_STYLES[edge.kind])
    return graph
