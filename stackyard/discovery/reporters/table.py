"""The terminal report: a rich table (resource, state, id, what differs from the config) and a summary line."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from stackyard.discovery.core.base import State
from stackyard.discovery.core.runner import DiscoveryReport

STYLES = {
    State.FOUND: "green",
    State.MISSING: "dim",
    State.AMBIGUOUS: "bold yellow",
    State.NOT_WANTED: "dim",
    State.ERROR: "bold magenta",
}


def render_table(report: DiscoveryReport, width: int = 160, color: bool = False) -> str:
    table = Table(title=f"stackyard discover: {escape(report.target)}", expand=False)
    for column in ("resource", "stack", "state", "id", "differs from the config"):
        table.add_column(column)
    for finding in report.findings:
        table.add_row(
            escape(finding.title),
            finding.stack,
            f"[{STYLES[finding.state]}]{finding.state.value}[/]",
            escape("\n".join(finding.ids)),
            escape("\n".join(finding.differences)),
        )
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color, highlight=False)
    console.print(table)
    console.print(report.summary_line())
    return buffer.getvalue()
