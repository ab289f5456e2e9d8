"""Checks are found, not listed: every module of the stackyard.checks package is one check, and the registry
imports them all and orders them by their ``order``. Adding a check is adding a module (and its test)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import cache
from types import ModuleType

from stackyard.checks.core.base import Check

CHECKS_PACKAGE = "stackyard.checks"


class RegistryError(Exception):
    """A check module that breaks the one-module-one-check rule; the message names the module and the fix."""


@cache
def all_checks() -> tuple[type[Check], ...]:
    """Every check class, in report order."""
    package = importlib.import_module(CHECKS_PACKAGE)
    found = [
        _the_check_of(importlib.import_module(f"{CHECKS_PACKAGE}.{module.name}"), module.name)
        for module in pkgutil.iter_modules(package.__path__)
        if not module.ispkg  # core/ and reporters/ are machinery, not checks
    ]
    orders: dict[int, str] = {}
    for check in found:
        if check.order in orders:
            raise RegistryError(f"{check.id} and {orders[check.order]} both have order {check.order}; pick a free one")
        orders[check.order] = check.id
    return tuple(sorted(found, key=lambda check: check.order))


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


def _the_check_of(module: ModuleType, name: str) -> type[Check]:
    checks = [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, Check)
        and value.__module__ == module.__name__
        and not inspect.isabstract(value)
    ]
    if len(checks) != 1:
        raise RegistryError(
            f"{module.__name__} defines {len(checks)} checks; a module of {CHECKS_PACKAGE} defines exactly one "
            "(shared code goes into stackyard/checks/core/)"
        )
    (check,) = checks
    if check.id.replace("-", "_") != name:
        raise RegistryError(f"{module.__name__}: check id {check.id!r} does not match the module; rename one of them")
    missing = [field for field in ("title", "seed", "severity", "remediation", "order") if not hasattr(check, field)]
    if missing:
        raise RegistryError(f"{module.__name__}: {check.__name__} lacks {', '.join(missing)}")
    return check
