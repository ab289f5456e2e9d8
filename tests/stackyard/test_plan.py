"""`stackyard plan|deploy|destroy` at the process boundary, for what is refused before any synth or Terraform run:
each one line, exit 2, nothing written. (Their work against a deployment is the e2e's day-two steps.)"""

from __future__ import annotations

import pytest
import yaml

from stackyard.config import default_config_text
from tests.support.cli import run_stackyard


@pytest.mark.parametrize("command", ["plan", "deploy", "destroy"])
def test_an_unknown_stack_is_refused_naming_the_ones_there_are(command, tmp_path):
    config = tmp_path / "stackyard.yaml"
    config.write_text(default_config_text())
    approve = [] if command == "plan" else ["--auto-approve"]
    result = run_stackyard(command, "--config", str(config), "--stack", "dta", *approve)
    assert result.returncode == 2, result.stderr
    expected = f"stackyard {command}: --stack dta: the config has no such stack; it has data, workers, cluster"
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and list(tmp_path.iterdir()) == [config]


def test_an_allowance_that_protects_nothing_is_refused_before_any_plan(tmp_path):
    config = tmp_path / "stackyard.yaml"
    data = yaml.safe_load(default_config_text())
    config.write_text(yaml.safe_dump({**data, "protection": {"allow_replace": ["store-bukket"]}}))
    result = run_stackyard("plan", "--config", str(config), timeout=120)
    assert result.returncode == 2, result.stderr
    assert "protection.allow_replace: 'store-bukket' protects nothing; use one of" in result.stderr
    assert "Traceback" not in result.stderr
