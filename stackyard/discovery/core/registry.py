"""Finders are found, not listed: every module of the stackyard.discovery package is one finder."""

from __future__ import annotations

from functools import cache

from stackyard.discovery.core.base import Finder
from stackyard.module_registry import members


@cache
def all_finders() -> tuple[type[Finder], ...]:
    """Every finder class, in report order (data, then workers, then cluster)."""
    return members("stackyard.discovery", Finder, required=("title", "stack"))
