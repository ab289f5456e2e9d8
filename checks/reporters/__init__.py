"""One reporter per output format; each turns a VerifyReport into text."""

from checks.reporters.json_report import render_json
from checks.reporters.junit import render_junit
from checks.reporters.table import render_table

RENDERERS = {"table": render_table, "json": render_json, "junit": render_junit}

__all__ = ["RENDERERS", "render_json", "render_junit", "render_table"]
