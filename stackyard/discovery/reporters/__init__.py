"""One reporter per output format of `stackyard discover`."""

from stackyard.discovery.reporters.json_report import render_json
from stackyard.discovery.reporters.table import render_table

RENDERERS = {"table": render_table, "json": render_json}
FORMATS = tuple(RENDERERS)

__all__ = ["FORMATS", "RENDERERS", "render_json", "render_table"]
