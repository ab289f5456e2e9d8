"""The terminal report: a rich table and a summary line."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from checks.base import Status
from checks.runner import VerifyReport

STYLES = {Status.PASS: "green", Status.FAIL: "bold red", Status.ERROR: "bold magenta", Status.SKIP: "dim"}


def render_table(report: VerifyReport, width: int = 160, color: bool = False) -> str:
    table = Table(title="stackyard verify", show_lines=False, expand=False)
    table.add_column("check")
    table.add_column("status")
    table.add_column("what was checked")
    table.add_column("evidence")
    table.add_column("s", justify="right")
    for result in report.results:
        table.add_row(
            result.id,
            f"[{STYLES[result.status]}]{result.status.value}[/]",
            result.title,
            result.detail,
            f"{result.duration_s:.2f}",
        )
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color, highlight=False)
    console.print(table)
    console.print(report.summary_line())
    return buffer.getvalue()
