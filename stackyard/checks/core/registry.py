"""Checks are found, not listed: every module of the stackyard.checks package is one check (module_registry's
rule), in report order. Adding a check is adding a module (and its test)."""

from __future__ import annotations

from functools import cache

from stackyard.checks.core.base import Check
from stackyard.module_registry import members

CHECKS_PACKAGE = "stackyard.checks"


@cache
def all_checks() -> tuple[type[Check], ...]:
    """Every check class, in report order."""
    return members(CHECKS_PACKAGE, Check, required=("title", "seed", "severity", "remediation"))


def check_ids() -> tuple[str, ...]:
    return tuple(check.id for check in all_checks())


def select(only: list[str] | None = None, skip: list[str] | None = None) -> list[Check]:
    """Instances of the checks ``only`` names (default: all), in report order. ``skip`` is only checked here: the
    runner reports skipped checks as SKIP. Unknown ids raise ValueError naming them."""
    known = check_ids()
    unknown = sorted({*(only or []), *(skip or [])} - set(known))
    if unknown:
        raise ValueError(f"unknown check id(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return [check() for check in all_checks() if not only or check.id in only]
