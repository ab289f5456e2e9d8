"""JSON: {"findings": [{"resource", "title", "stack", "state", "ids", "differences", "outputs"}], "summary": {...}}."""

from __future__ import annotations

import json

from stackyard.discovery.core.runner import DiscoveryReport


def render_json(report: DiscoveryReport) -> str:
    document = {"findings": [finding.as_dict() for finding in report.findings], "summary": report.summary()}
    return json.dumps(document, indent=2, default=str) + "\n"
