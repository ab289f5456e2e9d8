"""Families of one-class-per-module members (the checks, the discovery finders): found by walking their package, not
listed by hand. Adding a member is adding a module; its id names the module (a-b -> a_b.py)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType
from typing import TypeVar

Member = TypeVar("Member", bound=type)


class RegistryError(Exception):
    """A module that breaks the one-module-one-member rule; the message names the module and the fix."""


def members(package_name: str, base: Member, required: tuple[str, ...]) -> tuple[Member, ...]:
    """The one concrete ``base`` subclass of every module of the package (sub-packages are machinery, skipped),
    in ascending ``order``; each must have ``id`` matching its module and every attribute in ``required``."""
    package = importlib.import_module(package_name)
    found = [
        _the_member_of(importlib.import_module(f"{package_name}.{module.name}"), module.name, base, required)
        for module in pkgutil.iter_modules(package.__path__)
        if not module.ispkg
    ]
    orders: dict[int, str] = {}
    for member in found:
        if member.order in orders:
            raise RegistryError(
                f"{member.id} and {orders[member.order]} both have order {member.order}; pick a free one"
            )
        orders[member.order] = member.id
    return tuple(sorted(found, key=lambda member: member.order))


def _the_member_of(module: ModuleType, name: str, base: Member, required: tuple[str, ...]) -> Member:
    classes = [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, base)
        and value.__module__ == module.__name__
        and not inspect.isabstract(value)
    ]
    package = module.__name__.rsplit(".", 1)[0]
    if len(classes) != 1:
        raise RegistryError(
            f"{module.__name__} defines {len(classes)} {base.__name__} classes; a module of {package} defines exactly "
            f"one (shared code goes into {package.replace('.', '/')}/core/)"
        )
    (member,) = classes
    if member.id.replace("-", "_") != name:
        raise RegistryError(f"{module.__name__}: id {member.id!r} does not match the module; rename one of them")
    missing = [field for field in ("id", "order", *required) if not hasattr(member, field)]
    if missing:
        raise RegistryError(f"{module.__name__}: {member.__name__} lacks {', '.join(missing)}")
    return member
