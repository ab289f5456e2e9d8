"""One reporter per output format; each turns a VerifyReport into text."""

from stackyard.checks.reporters.html_report import render_html
from stackyard.checks.reporters.json_report import render_json
from stackyard.checks.reporters.junit import render_junit
from stackyard.checks.reporters.sarif import render_sarif
from stackyard.checks.reporters.table import render_table

RENDERERS = {
    "table": render_table,
    "json": render_json,
    "junit": render_junit,
    "html": render_html,
    "sarif": render_sarif,
}
FORMATS = tuple(RENDERERS)

__all__ = ["FORMATS", "RENDERERS", "render_html", "render_json", "render_junit", "render_sarif", "render_table"]
