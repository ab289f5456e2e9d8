"""One self-contained HTML page (styles inline, no script, no external asset): a summary bar, then a row per check
with its status colour, detail, evidence and duration. It opens from a file, a bundle or an e-mail attachment."""

from __future__ import annotations

import json
from html import escape

from stackyard.checks.core.base import Severity, Status
from stackyard.checks.core.runner import VerifyReport

# Status colours: green, red, amber, grey (readable on white, distinct for the common colour blindnesses by label).
COLOURS = {Status.PASS: "#1a7f37", Status.FAIL: "#cf222e", Status.ERROR: "#bc4c00", Status.SKIP: "#6e7781"}

STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
.meta { color: #59636e; margin-bottom: 1rem; }
.bar { display: flex; height: 1.6rem; border-radius: 4px; overflow: hidden; margin-bottom: .5rem; }
.bar div { color: #fff; font-weight: 600; text-align: center; line-height: 1.6rem; min-width: 2.5rem; }
.counts span { margin-right: 1.2rem; }
table { border-collapse: collapse; width: 100%; margin-top: 1.2rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem; border-bottom: 1px solid #d1d9e0; }
th { background: #f6f8fa; }
.status { color: #fff; font-weight: 700; border-radius: 3px; padding: .1rem .45rem; white-space: nowrap; }
pre { margin: .3rem 0 0; white-space: pre-wrap; font-size: 12px; background: #f6f8fa; padding: .4rem; }
.fix { color: #59636e; font-size: 12px; }
td.time { text-align: right; white-space: nowrap; }
"""


def render_html(report: VerifyReport) -> str:
    statuses = [status for status in Status if report.count(status)]
    bar = "".join(
        f'<div class="{status.value.lower()}" style="flex: {report.count(status)}; background: {COLOURS[status]}">'
        f"{report.count(status)} {status.value}</div>"
        for status in statuses
    )
    counts = "".join(f"<span>{escape(status.value)}: {report.count(status)}</span>" for status in Status)
    rows = "".join(_row(result) for result in report.results)
    verdict = _verdict(report)
    label = ", ".join(f"{report.count(status)} {status.value}" for status in statuses)
    headings = "".join(f"<th>{name}</th>" for name in ("Check", "Status", "Detail and evidence", "Severity", "Seed"))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>stackyard verify: {verdict}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>stackyard verify: {verdict}</h1>
<div class="meta">{len(report.results)} checks against {escape(report.target or "AWS")} in {report.duration_s:.2f} s
(exit code {report.exit_code})</div>
<div class="bar" role="img" aria-label="{escape(label)}">{bar}</div>
<div class="counts">{counts}</div>
<table>
<thead><tr>{headings}<th>Time</th></tr></thead>
<tbody>
{rows}</tbody>
</table>
</body>
</html>
"""


def _verdict(report: VerifyReport) -> str:
    """The headline: "all checks passed" only when every check ran and passed; skips are counted, the critical
    ones named (a skipped check proved nothing)."""
    if report.exit_code != 0:
        return "some checks failed"
    skipped = [result for result in report.results if result.status is Status.SKIP]
    if not skipped:
        return "all checks passed"
    critical = [result.id for result in skipped if result.severity is Severity.CRITICAL]
    named = f" ({len(critical)} critical: {', '.join(critical)})" if critical else ""
    return f"no check failed, {len(skipped)} skipped{named}"


def _row(result) -> str:
    evidence = (
        f"<pre>{escape(json.dumps(result.evidence, indent=2, sort_keys=True, default=str))}</pre>"
        if result.evidence
        else ""
    )
    failed = result.status in (Status.FAIL, Status.ERROR)
    fix = f'<div class="fix">fix: {escape(result.remediation)}</div>' if failed else ""
    return (
        f'<tr id="{escape(result.id)}"><td><code>{escape(result.id)}</code><br>{escape(result.title)}</td>'
        f'<td><span class="status" style="background: {COLOURS[result.status]}">{result.status.value}</span></td>'
        f"<td>{escape(result.detail)}{fix}{evidence}</td><td>{escape(result.severity.value)}</td>"
        f'<td>{escape(str(result.seed))}</td><td class="time">{result.duration_s * 1000:.0f} ms</td></tr>\n'
    )
