"""JSON: {"checks": [{"id", "status", "title", "detail", "duration_s", ...}], "summary": {...}}."""

from __future__ import annotations

import json

from stackyard.checks.core.runner import VerifyReport


def render_json(report: VerifyReport) -> str:
    document = {"checks": [result.as_dict() for result in report.results], "summary": report.summary()}
    return json.dumps(document, indent=2, default=str) + "\n"
