"""The README stays true: its two set-up commands exist and its config reference covers every key."""

from __future__ import annotations

import itertools
import re
import typing
from pathlib import Path

import yaml
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


def _model_field(path: str):
    """The field of a dotted key; through unions (the backend kinds) to the member that has the next key."""
    model: type[BaseModel] = StackyardConfig
    keys = path.split(".")
    for section, next_key in itertools.pairwise(keys):
        annotation = model.model_fields[section].annotation
        members = [annotation, *typing.get_args(annotation)]
        for arg in typing.get_args(annotation):
            members += typing.get_args(arg)
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        model = next(m for m in models if next_key in m.model_fields)
    return model.model_fields[keys[-1]]


def _config_reference_rows() -> list[tuple[list[str], str]]:
    section = README.split("### Config reference", 1)[1].split("\n### ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if line.startswith("| `") and len(cells) >= 3:
            rows.append((re.findall(r"`([a-z_.]+)`", cells[0]), cells[1]))
    return rows


def test_config_reference_states_the_models_defaults_not_the_examples():
    """The default column says what a config that leaves the key out gets: the model's default."""
    wrong = []
    for keys, documented in _config_reference_rows():
        for key in keys:
            field = _model_field(key)
            if field.is_required():
                ok = documented.startswith("—")
            else:
                default = field.get_default(call_default_factory=True)
                literal = re.match(r"^`([^`]*)`", documented)
                if default is None:  # none, inherited, or a value the config must give when the feature is on
                    ok = documented.startswith(("none", "the top-level", "— (required when"))
                elif literal:
                    value = yaml.safe_load(literal[1])
                    ok = value == default or str(value) == str(default)
                else:
                    ok = False
            if not ok:
                wrong.append(f"{key}: README says {documented!r}, the model's default is {field.get_default()!r}")
    assert len(_config_reference_rows()) > 80
    assert not wrong, "\n".join(wrong)


def test_every_finder_is_documented_with_its_stack():
    from stackyard.discovery import all_finders

    missing = [f.id for f in all_finders() if f"| `{f.id}` | {f.stack} |" not in README]
    assert not missing, f"README's finder table lacks: {missing}"


def test_every_adoption_slot_is_documented_with_its_stack(tmp_path):
    """The slots are what the stacks offer (StackyardStack.adopt/existing), read from a build of everything-on."""
    from stacks.app import build_app
    from stacks.provider_bindings import load_lazily
    from stackyard.config import load_config

    load_lazily()
    app = build_app(
        load_config(Path(__file__).resolve().parent.parent / "examples" / "everything-on.yaml"), str(tmp_path)
    )
    rows = {
        (slot, stack.strip())
        for line in README.splitlines()
        if line.startswith("| `") and line.count("|") == 4
        for cells in [line.split("|")]
        for stack in [cells[2]]
        for slot in re.findall(r"`([a-zA-Z0-9-]+)`", cells[1])
    }
    missing = [
        f"{child.node.id}: {slot}"
        for child in app.node.children
        for slot in sorted(getattr(child, "slots", set()))
        if (re.sub(r"-\d+$", "-N", slot), child.node.id) not in rows
    ]
    assert len(rows) > 30
    assert not missing, f"README's slot table lacks: {missing}"
