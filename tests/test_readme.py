"""The README stays true: its two set-up commands exist and its config reference covers every key."""

from __future__ import annotations

import typing
from pathlib import Path

from pydantic import BaseModel

from stackyard.config.model import StackyardConfig

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
MAKEFILE = (Path(__file__).resolve().parent.parent / "Makefile").read_text()


def leaf_keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        members = [field.annotation, *typing.get_args(field.annotation)]
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        if not models:
            for arg in typing.get_args(field.annotation):  # Annotated[Union[...], ...]
                models += [m for m in typing.get_args(arg) if isinstance(m, type) and issubclass(m, BaseModel)]
        if models:
            for sub in models:
                keys |= leaf_keys(sub, f"{path}.")
        else:
            keys.add(path)
    return keys


def test_config_reference_lists_every_key():
    keys = leaf_keys(StackyardConfig)
    assert "data_store.bucket_name" in keys and "backend.use_lockfile" in keys
    missing = sorted(key for key in keys if f"`{key}`" not in README)
    assert not missing, f"README config reference lacks: {missing}"


def test_the_two_setup_commands_are_documented_and_exist():
    assert "make synth" in README and "make test" in README
    assert "\nsynth:" in MAKEFILE and "\ntest:" in MAKEFILE


def test_every_check_is_documented_with_its_seed_and_severity():
    from stackyard.checks import all_checks

    missing = [c.id for c in all_checks() if f"| `{c.id}` | {c.seed} | {c.severity.value} |" not in README]
    assert not missing, f"README's check table lacks (or has another seed/severity for): {missing}"
