"""Seed 003's tables: per direction, file size, time with the overhead subtracted, transfer rate; and the raw time."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from stackyard.speed.core.registry import all_measurements
from stackyard.speed.core.runner import SpeedReport
from stackyard.speed.core.sizes import shown


def render_table(report: SpeedReport, width: int = 120) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, highlight=False)
    for measurement in all_measurements():
        timings = [timing for timing in report.timings if timing.direction == measurement.id]
        if not timings:
            continue
        table = Table(title=f"{measurement.title} ({report.target})", title_justify="left")
        for column in ("File Size", "Time (sec)", "Transfer Rate", "Raw time (sec)", "Overhead (sec)", "Runs"):
            table.add_column(column, justify="left" if column == "File Size" else "right")
        for timing in timings:
            rate = f"{timing.mib_per_s:.1f} MiB/sec" if timing.mib_per_s is not None else "below the overhead"
            table.add_row(
                shown(timing.size),
                f"{timing.time_s:.2f}",
                rate,
                f"{timing.median_raw_s:.3f}",
                f"{timing.overhead_s:.3f}",
                str(len(timing.raw_s)),
            )
        console.print(table)
    console.print(summary_line(report))
    return buffer.getvalue()


def summary_line(report: SpeedReport) -> str:
    left = "could not be listed" if report.left_behind is None else str(report.left_behind)
    return (
        f"store speed: times are medians with the tiny-transfer overhead subtracted (seed 003); MiB = 2^20 bytes; "
        f"objects left under {report.prefix}: {left}"
    )
