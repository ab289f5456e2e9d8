"""The measurements for machines: every run's raw time, the overhead, the rate; and what was left behind."""

from __future__ import annotations

import json

from stackyard.speed.core.runner import SpeedReport


def render_json(report: SpeedReport) -> str:
    return (
        json.dumps(
            {
                "target": report.target,
                "prefix": report.prefix,
                "left_behind": report.left_behind,
                "exit_code": report.exit_code,
                "measurements": [
                    {
                        "direction": timing.direction,
                        "size_bytes": timing.size,
                        "raw_s": [round(seconds, 4) for seconds in timing.raw_s],
                        "median_raw_s": round(timing.median_raw_s, 4),
                        "overhead_s": round(timing.overhead_s, 4),
                        "time_s": round(timing.time_s, 4),
                        "mib_per_s": round(timing.mib_per_s, 2) if timing.mib_per_s is not None else None,
                    }
                    for timing in report.timings
                ],
            },
            indent=2,
        )
        + "\n"
    )
