"""The `stackyard config` commands."""

from __future__ import annotations

import json

import pytest
import yaml

from stackyard.config import StackyardConfig, default_config_text
from tests.bad_configs import BAD_CONFIGS
from tests.support.cli import run_stackyard


def test_example_prints_the_full_default_config_which_is_valid():
    result = run_stackyard("config", "example")
    assert result.returncode == 0
    assert result.stdout == default_config_text()
    config = StackyardConfig.model_validate(yaml.safe_load(result.stdout))
    assert config.data_store.enabled and config.data_store.multipart_upload_role
    assert "EXAMPLE" in result.stdout


def test_check_accepts_the_example(tmp_path):
    config_file = tmp_path / "example.yaml"
    config_file.write_text(run_stackyard("config", "example").stdout)
    result = run_stackyard("config", "check", str(config_file))
    assert result.returncode == 0, result.stderr
    assert "valid stackyard config" in result.stdout


@pytest.mark.parametrize("case", ["unknown-key", "bad-region", "bucket-uppercase", "backend-shared-key"])
def test_check_rejects_bad_configs_with_exit_2(case, tmp_path):
    text, field = BAD_CONFIGS[case]
    config_file = tmp_path / "bad.yaml"
    config_file.write_text(text)
    result = run_stackyard("config", "check", str(config_file))
    assert result.returncode == 2
    assert field in result.stderr
    assert "Traceback" not in result.stderr


def test_schema_is_json_schema_of_the_model():
    result = run_stackyard("config", "schema")
    schema = json.loads(result.stdout)
    assert schema["title"] == "StackyardConfig"
    assert {"aws", "tags", "backend", "data_store"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False
