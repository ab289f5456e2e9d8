"""Measurements are found, not listed: every module of the stackyard.speed package is one measurement."""

from __future__ import annotations

from functools import cache

from stackyard.module_registry import members
from stackyard.speed.core.base import Measurement


@cache
def all_measurements() -> tuple[type[Measurement], ...]:
    """Every measurement class, in run order (upload first: the download reads what it wrote)."""
    return members("stackyard.speed", Measurement, required=("title",))
