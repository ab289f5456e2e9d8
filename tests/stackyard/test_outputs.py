"""Reading an outputs file: cdktf's (stack -> outputs) or `terraform output -json`, refused when it cannot be
stackyard's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import stackyard.config
from stackyard.config.loader import validate_config_data
from stackyard.outputs import OutputsError, StackOutputs, mismatches, read_outputs
from tests.support.cli import invoke_stackyard

DEFAULT_CONFIG = Path(stackyard.config.__file__).parent / "default.yaml"


def test_both_shapes_are_read(tmp_path):
    cdktf = tmp_path / "outputs.json"
    cdktf.write_text(
        json.dumps({"data": {"bucket_name": "b"}, "workers": {"subnet_ids": ["s-1", "s-2"], "ips": [None, "1.2.3.4"]}})
    )
    terraform = tmp_path / "workers.json"
    terraform.write_text(json.dumps({"vpc_id": {"value": "vpc-1", "type": "string", "sensitive": False}}))
    assert read_outputs(cdktf).find("subnet_ids") == ["s-1", "s-2"]
    assert read_outputs(terraform).stacks == {"workers": {"vpc_id": "vpc-1"}}


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (5, "is 5;"),
        ({"a": 1}, 'is {"a": 1};'),
        (["x", 2], 'is ["x", 2];'),
        ([1] * 30, "is [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ...;"),
    ],
)
def test_a_value_no_stack_outputs_is_refused_naming_it(tmp_path, value, shown):
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"data": {"region": "eu-west-1", "bucket_name": value}}))
    with pytest.raises(OutputsError) as caught:
        read_outputs(outputs)
    assert f"output data.bucket_name {shown}" in str(caught.value)


def test_verify_of_a_wrong_typed_output_exits_2_in_one_line(tmp_path):
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"data": {"bucket_name": 5}}))
    result = invoke_stackyard("verify", "--outputs", str(outputs))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith(f"{outputs}: output data.bucket_name is 5;")


def example_config_data(**sections) -> dict:
    """The embedded example config (its names are those of _outputs), with these sections replaced."""
    return {**yaml.safe_load(DEFAULT_CONFIG.read_text()), **sections}


def _config(**sections):
    return validate_config_data(example_config_data(**sections), "test.yaml")


def deployment_outputs(region="eu-west-1", bucket="my-valohai-bucket", role="ValohaiMaster", account="123456789012"):
    """Outputs of the three stacks, as the default config's deployment writes them (the values mismatches reads)."""
    return {
        "data": {"region": region, "bucket_name": bucket, "user_name": "valohai-data-store"},
        "workers": {"region": region, "master_role_arn": f"arn:aws:iam::{account}:role/{role}", "vpc_id": "vpc-1"},
        "cluster": {"cluster_name": "valohai"},
    }


def test_outputs_of_the_configs_deployment_match():
    config = _config(aws={"account_id": "123456789012"})
    assert mismatches(StackOutputs(deployment_outputs(), "o.json"), config, "c.yaml") == []
    accountless = deployment_outputs()
    accountless["data"] |= {"bucket_arn": "arn:aws:s3:::my-valohai-bucket", "policy": "arn:aws:iam::aws:policy/X"}
    assert mismatches(StackOutputs(accountless, "o.json"), config, "c.yaml") == [], "ARNs without an account"


@pytest.mark.parametrize(
    ("outputs", "config", "problem"),
    [
        (
            deployment_outputs(region="us-west-2"),
            {},
            "stack data has region 'us-west-2' where c.yaml has aws.region 'eu-west-1'",
        ),
        (
            deployment_outputs(bucket="another"),
            {},
            "stack data has bucket_name 'another' where c.yaml has data_store.bucket_name",
        ),
        (
            deployment_outputs(role="Other"),
            {},
            "stack workers has master_role_arn 'arn:aws:iam::123456789012:role/Other' where",
        ),
        (
            deployment_outputs(account="210987654321"),
            {"aws": {"account_id": "123456789012"}},
            "ARNs in account(s) 210987654321",
        ),
        (
            {**deployment_outputs(), "staging-data": {}},
            {},
            "stack(s) staging-data are not stacks of c.yaml (data, workers,",
        ),
        (
            {"data": deployment_outputs()["data"], "workers": deployment_outputs()["workers"]},
            {},
            "no outputs of stack(s) cluster, which",
        ),
        ({**deployment_outputs(), "cluster": {}}, {}, "no outputs of stack(s) cluster, which c.yaml makes"),
    ],
)
def test_outputs_of_another_or_a_partial_deployment_are_named(outputs, config, problem):
    found = mismatches(StackOutputs(outputs, "o.json"), _config(**config), "c.yaml")
    assert found and all(line.startswith("o.json: ") for line in found) and problem in found[0], found


def test_only_the_needed_stacks_and_the_deployed_environments_must_be_there():
    partial = StackOutputs({"data": deployment_outputs()["data"]}, "o.json")
    assert mismatches(partial, _config(), "c.yaml", needed=("data",)) == []
    assert mismatches(StackOutputs({}, "o.json"), _config(), "c.yaml", needed=("data",)) != []
    two = _config(environments=[{"name": "dev"}, {"name": "prod"}])
    dev_only = StackOutputs({f"dev-{stack}": values for stack, values in deployment_outputs().items()}, "o.json")
    assert mismatches(dev_only, two, "c.yaml") == [], "an environment not deployed is not a partial deployment"


def test_one_stacks_terraform_output_is_compared_by_value(tmp_path):
    path = tmp_path / "anything.json"
    path.write_text(json.dumps({"region": {"value": "us-west-2", "type": "string", "sensitive": False}}))
    (found,) = mismatches(read_outputs(path), _config(), "c.yaml")
    assert "has region 'us-west-2'" in found
    path.write_text(json.dumps({"region": {"value": "eu-west-1", "type": "string", "sensitive": False}}))
    assert mismatches(read_outputs(path), _config(), "c.yaml") == [], "no stack is missing from one stack's file"


@pytest.mark.parametrize(
    ("command", "change", "problem"),
    [
        (("verify",), lambda o: o["data"].update(region="us-west-2"), "stack data has region 'us-west-2'"),
        (("verify",), lambda o: o.pop("cluster"), "no outputs of stack(s) cluster"),
        (("store", "speed"), lambda o: o["data"].update(region="us-west-2"), "stack data has region 'us-west-2'"),
    ],
)
def test_verify_and_store_speed_refuse_them_before_any_call(tmp_path, command, change, problem):
    outputs, config = tmp_path / "outputs.json", tmp_path / "config.yaml"
    written = deployment_outputs()
    change(written)
    outputs.write_text(json.dumps(written))
    config.write_text(yaml.safe_dump(example_config_data()))
    result = invoke_stackyard(*command, "--outputs", str(outputs), "--config", str(config))
    assert result.exit_code == 2 and problem in result.stderr, result.stderr


def test_verify_only_named_checks_needs_no_other_stack(tmp_path):
    """--only says which checks the user means: a stack they do not read need not be deployed (the check that
    reads one SKIPs); the endpoint here refuses connections, so the checks run to an ERROR, not a refusal."""
    outputs, config = tmp_path / "outputs.json", tmp_path / "config.yaml"
    outputs.write_text(json.dumps({"data": deployment_outputs()["data"]}))
    config.write_text(
        yaml.safe_dump(example_config_data(aws={"region": "eu-west-1", "endpoint_url": "http://127.0.0.1:9"}))
    )
    command = ("verify", "--outputs", str(outputs), "--config", str(config), "--timeout", "1", "--format", "json")
    result = invoke_stackyard(*command, "--only", "store-private")
    assert result.exit_code == 1 and json.loads(result.stdout)["checks"][0]["status"] == "ERROR", result.output
    assert invoke_stackyard(*command).exit_code == 2
