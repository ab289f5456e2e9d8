"""One module per report format of `stackyard store speed`."""

from stackyard.speed.reporters.json_report import render_json
from stackyard.speed.reporters.table import render_table

RENDERERS = {"table": render_table, "json": render_json}
FORMATS = tuple(RENDERERS)
