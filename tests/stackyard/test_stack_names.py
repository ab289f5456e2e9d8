"""The stacks a config makes, in the order to apply them, and that order for any list of stack names."""

from __future__ import annotations

from stackyard.config import validate_config_data
from stackyard.stack_names import in_apply_order, planned_stacks
from tests.stackyard.test_bundle import TWO_ENVIRONMENTS


def test_stacks_are_planned_per_environment_in_the_order_to_apply_them():
    config = validate_config_data(TWO_ENVIRONMENTS, "test")
    assert [s.name for s in planned_stacks(config)] == [
        "dev-data", "dev-workers", "dev-cluster", "prod-data", "prod-workers", "prod-cluster",
    ]  # fmt: skip


def test_any_stack_names_sort_into_apply_order_per_environment():
    names = ["prod-cluster", "dev-workers", "prod-data", "dev-cluster", "dev-data", "prod-workers"]
    assert in_apply_order(names) == [
        "dev-data", "dev-workers", "dev-cluster", "prod-data", "prod-workers", "prod-cluster",
    ]  # fmt: skip
    assert in_apply_order(["cluster", "data", "workers"]) == ["data", "workers", "cluster"]


def test_a_stack_turned_off_is_not_planned():
    config = validate_config_data({**TWO_ENVIRONMENTS, "cluster": {"enabled": False}}, "test")
    assert [s.kind for s in planned_stacks(config)] == ["data", "workers", "data", "workers"]
