"""The registry finds every check module, in report order, and holds each check to the one-module-one-check rule;
every check has a mirrored test with a PASS and a FAIL case, and reads only outputs the stacks really have."""

from __future__ import annotations

import ast
import inspect
import types
from pathlib import Path

import pytest

from stackyard import module_registry
from stackyard.checks import all_checks, check_ids, select
from stackyard.checks.core import registry
from stackyard.checks.core.base import Check, Severity, passed
from stackyard.module_registry import RegistryError

CHECKS_DIR = Path(registry.__file__).resolve().parents[1]
TESTS_DIR = Path(__file__).resolve().parents[1]


def test_every_module_of_the_package_is_a_check_in_report_order():
    modules = sorted(path.stem for path in CHECKS_DIR.glob("*.py") if path.stem != "__init__")
    assert sorted(check.id.replace("-", "_") for check in all_checks()) == modules
    orders = [check.order for check in all_checks()]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    assert check_ids()[0] == "store-round-trip" and check_ids()[-1] == "cluster-key-file"


def test_every_check_carries_its_metadata():
    for check in all_checks():
        assert check.seed in ("000", "001", "002", "003", "004"), check.id
        assert isinstance(check.severity, Severity), check.id
        assert check.title and check.remediation and "\n" not in check.remediation, check.id


def test_select_keeps_report_order_and_names_unknown_ids():
    assert [c.id for c in select(only=["cluster-ssh", "store-cors"])] == ["store-cors", "cluster-ssh"]
    assert "store-cors" in [c.id for c in select(skip=["store-cors"])], "the runner reports it as SKIP"
    with pytest.raises(ValueError, match="unknown check id\\(s\\) nope"):
        select(only=["nope"])


def _module(name: str, *classes: type) -> types.ModuleType:
    module = types.ModuleType(f"stackyard.checks.{name}")
    for cls in classes:
        cls.__module__ = module.__name__
        setattr(module, cls.__name__, cls)
    return module


class _Valid(Check):
    id, title, seed, severity, remediation, order = "made-up", "t", "000", Severity.LOW, "r", 999

    def run(self, context):
        return passed("ok")


def test_a_module_with_two_checks_or_a_mismatched_id_is_refused_with_the_fix():
    class Second(_Valid):
        id = "second"

    def the_check_of(module, name):
        return module_registry._the_member_of(module, name, Check, ("title", "seed", "severity", "remediation"))

    with pytest.raises(RegistryError, match=r"defines 2 Check classes; .* exactly one"):
        the_check_of(_module("made_up", type("A", (_Valid,), {}), Second), "made_up")
    with pytest.raises(RegistryError, match="does not match the module"):
        the_check_of(_module("other_name", type("A", (_Valid,), {})), "other_name")
    incomplete = {"id": "made-up", "order": 1, "title": "t", "seed": "000", "severity": Severity.LOW}
    with pytest.raises(RegistryError, match="lacks remediation"):
        the_check_of(_module("made_up", type("A", (Check,), {**incomplete, "run": _Valid.run})), "made_up")
    assert the_check_of(_module("made_up", type("A", (_Valid,), {})), "made_up").id == "made-up"


def test_every_check_has_a_mirrored_test_with_a_pass_and_a_fail_case():
    for check in all_checks():
        test_file = TESTS_DIR / f"test_{check.id.replace('-', '_')}.py"
        assert test_file.is_file(), f"{check.id}: add {test_file.relative_to(TESTS_DIR.parents[2])}"
        source = test_file.read_text()
        assert "Status.PASS" in source and "Status.FAIL" in source, f"{test_file.name} needs a PASS and a FAIL case"


def _outputs_read(check: type[Check]) -> set[str]:
    """Every output the check can read: declared ones, family attributes, and context.output("...") literals."""
    names = {*check.needs_outputs, *check.optional_outputs}
    names |= {getattr(check, a) for a in ("role_output", "resource_output") if getattr(check, a, None)}
    for node in ast.walk(ast.parse(inspect.getsource(inspect.getmodule(check)))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "output":
            names |= {arg.value for arg in node.args if isinstance(arg, ast.Constant)}
    return names


def test_every_output_a_check_reads_is_declared_and_synthesized(default_synth, everything_on_synth):
    """A renamed output would silently turn its checks into SKIP; this fails first."""
    synthesized = {
        name for synth in (default_synth, everything_on_synth) for stack in synth.stack_names()
        for name in synth.stack(stack)["output"]
    }  # fmt: skip
    for check in all_checks():
        read = _outputs_read(check)
        undeclared = read - {*check.needs_outputs, *check.optional_outputs}
        assert not undeclared, f"{check.id} reads {sorted(undeclared)} without declaring them"
        assert read <= synthesized, f"{check.id} reads {sorted(read - synthesized)}, which no stack outputs"
