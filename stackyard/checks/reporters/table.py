"""The terminal report: a rich table and a summary line."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from stackyard.checks.core.base import CheckResult, Status
from stackyard.checks.core.runner import VerifyReport

STYLES = {Status.PASS: "green", Status.FAIL: "bold red", Status.ERROR: "bold magenta", Status.SKIP: "dim"}


def render_table(report: VerifyReport, width: int = 160, color: bool = False) -> str:
    blocked = report.blocked()
    if blocked:
        return blocked + "\n"
    table = Table(title=f"stackyard verify: {escape(report.target)}", show_lines=False, expand=False)
    table.add_column("check")
    table.add_column("status")
    table.add_column("severity")
    table.add_column("what was checked")
    table.add_column("evidence")
    table.add_column("s", justify="right")
    for result in report.results:
        table.add_row(
            result.id,
            f"[{STYLES[result.status]}]{result.status.value}[/]",
            result.severity.value,
            result.title,
            _evidence(result),
            f"{result.duration_s:.2f}",
        )
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color, highlight=False)
    console.print(table)
    console.print(report.summary_line())
    return buffer.getvalue()


def _evidence(result: CheckResult) -> str:
    """What was found; for a FAIL or ERROR also what to do about it."""
    if result.status in (Status.FAIL, Status.ERROR):
        return f"{escape(result.detail)}\n[bold]fix:[/] {escape(result.remediation)}"
    return escape(result.detail)
