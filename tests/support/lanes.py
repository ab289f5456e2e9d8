"""The test lanes. `make test-fast` sets STACKYARD_TEST_LANE=fast: only tests without an ``emulator``,
``terraform`` or ``slow`` mark run, and starting an emulator or Terraform fails the test, naming the mark it needs.
`make test` runs every lane."""

from __future__ import annotations

import os
from pathlib import Path

LANE_ENV_VAR = "STACKYARD_TEST_LANE"
HEAVY_MARKS = ("emulator", "terraform", "slow")
# A `terraform` that fails naming the mark, first on PATH in the fast lane (stackyard and the tests find it there).
REFUSING_BIN = Path(__file__).resolve().parent / "fast_lane_bin"

# Fixtures that start or hold an emulator (tests/stackyard/conftest.py): a test using one, directly or through
# another fixture, is an ``emulator`` test without saying so.
EMULATOR_FIXTURES = frozenset(
    {"deployed", "fresh_deployment", "estate", "fresh_estate", "empty_account", "customer_deployed",
     "localstack_endpoint", "scratch_moto", "fresh_moto"}
)  # fmt: skip
# `bundle`, `make_bundle`: `stackyard handoff bundle` formats its HCL with `terraform fmt`.
TERRAFORM_FIXTURES = frozenset({"terraform_cli_config", "bundle", "make_bundle", "attached_terraform"})


def fast() -> bool:
    return os.environ.get(LANE_ENV_VAR) == "fast"


class NotInTheFastLane(RuntimeError):
    def __init__(self, what: str, mark: str):
        super().__init__(f"{what} in the fast lane: mark the test `@pytest.mark.{mark}` (see tests/support/lanes.py)")


def refuse_in_the_fast_lane(what: str, mark: str = "emulator") -> None:
    if fast():
        raise NotInTheFastLane(what, mark)
