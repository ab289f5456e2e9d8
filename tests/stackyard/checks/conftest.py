"""Each check run in-process against the moto_server deployments of tests/stackyard/conftest.py: ``check_on``
runs one check with that deployment's outputs and config (both changeable per test) and returns its result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from stackyard.checks.core.base import Check, CheckResult
from stackyard.checks.core.context import VerifyContext
from stackyard.checks.core.runner import run_check
from stackyard.config import validate_config_data
from stackyard.outputs import StackOutputs
from tests.support.deployed import Deployed, aws_env

RunCheck = Callable[..., CheckResult]


@pytest.fixture
def check_on(monkeypatch: pytest.MonkeyPatch) -> RunCheck:
    """check_on(CheckClass, deployed, outputs=change(outputs), config=change(config), **VerifyContext fields)."""
    for name, value in aws_env("unused").items():
        if name != "AWS_ENDPOINT_URL":  # the config's aws.endpoint_url names the emulator
            monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)

    def run(
        check: type[Check] | Check,
        deployed: Deployed,
        outputs: Callable[[dict], Any] | None = None,
        config: Callable[[dict], Any] | None = None,
        **context: Any,
    ) -> CheckResult:
        output_values, config_data = deployed.outputs(), deployed.config_data()
        for change, data in ((outputs, output_values), (config, config_data)):
            if change is not None:
                change(data)
        verify_context = VerifyContext(
            outputs=StackOutputs(output_values, "test outputs"),
            config=validate_config_data(config_data, "test config"),
            timeout=context.pop("timeout", 5.0),
            **context,
        )
        return run_check(check if isinstance(check, Check) else check(), verify_context)

    return run
