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


@pytest.mark.parametrize(
    "case", ["unknown-key", "bad-region", "bucket-uppercase", "backend-shared-key", "alias-bomb", "too-large"]
)
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


def test_check_warns_about_every_example_value_left_naming_the_field(tmp_path):
    config_file = tmp_path / "example.yaml"
    config_file.write_text(default_config_text())
    result = run_stackyard("config", "check", str(config_file))
    assert result.returncode == 0, result.stderr
    warned = [line.split(" = ")[0].removeprefix("warning: ") for line in result.stderr.splitlines()]
    assert warned == [
        "data_store.bucket_name",
        "workers.assume_role_arn",
        "queue.key_pair.public_key",
        "cluster.creator",
        "cluster.key_name",
        "cluster.key",
        "cluster.tags.project",
        "cluster.access_cidrs",
    ]


def test_documentation_account_and_ranges_are_warned_about_anywhere_and_own_values_are_not(tmp_path):
    own = yaml.safe_load(default_config_text())
    own["data_store"]["bucket_name"] = "acme-ml-data"
    own["workers"]["assume_role_arn"] = "arn:aws:iam::210987654321:role/platform"
    own["queue"]["key_pair"] = {"name": "acme-queue"}
    own["cluster"] |= {"creator": "ml@acme.example", "key_name": "acme", "key": "~/.ssh/acme.pem", "tags": {}}
    own["cluster"]["access_cidrs"] = ["100.64.10.0/24"]
    clean = tmp_path / "own.yaml"
    clean.write_text(yaml.safe_dump(own))
    assert run_stackyard("config", "check", str(clean)).stderr == ""
    own["firewall"]["valohai_ssh_cidr"] = "198.51.100.7/32"
    own["aws"]["account_id"] = "123456789012"
    clean.write_text(yaml.safe_dump(own))
    result = run_stackyard("config", "check", str(clean))
    assert result.returncode == 0
    assert "aws.account_id = '123456789012': holds AWS's documentation account id" in result.stderr
    assert "firewall.valohai_ssh_cidr = '198.51.100.7/32': a documentation address range" in result.stderr


def test_check_lists_each_environment(tmp_path):
    config = yaml.safe_load(default_config_text())
    config["environments"] = [
        {"name": "dev", "account_id": "111111111111"},
        {"name": "prod", "region": "us-west-2", "overrides": {"cluster": {"enabled": False}}},
    ]
    config["network"]["availability_zones"] = None
    path = tmp_path / "envs.yaml"
    path.write_text(yaml.safe_dump(config))
    result = run_stackyard("config", "check", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{path}: valid stackyard config, 2 environments:",
        "  dev: region eu-west-1, account 111111111111; stacks: dev-data, dev-workers, dev-cluster",
        "  prod: region us-west-2; stacks: prod-data, prod-workers",
    ]


@pytest.mark.emulator
def test_example_for_an_emulator_asks_it_for_an_image_and_says_what_it_changed(tmp_path):
    from stackyard.config.aws_names import CANONICAL_OWNER_ID
    from tests.support.aws import emulator_client
    from tests.support.processes import moto_server

    with moto_server() as endpoint:
        result = run_stackyard("config", "example", "--endpoint-url", endpoint)
        assert result.returncode == 0, result.stderr
        config = StackyardConfig.model_validate(yaml.safe_load(result.stdout))
        ec2 = emulator_client("ec2", endpoint, config.aws.region)
        [image] = ec2.describe_images(ImageIds=[config.queue.ami_id])["Images"]
    assert config.aws.endpoint_url == endpoint
    assert config.queue.ami_id == config.cluster.ami_id
    # Canonical's Ubuntu for the x86_64 instance types, as the stacks look up (moto lists Windows images first).
    assert image["Architecture"] == "x86_64" and image["OwnerId"] == CANONICAL_OWNER_ID, image
    assert image["Name"].startswith("ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-"), "the newer of two"
    assert not config.queue.detailed_monitoring and not config.cluster.detailed_monitoring
    assert config.data_store.tls_only is False and "moto applies the policy's Deny" in result.stdout


def test_example_for_an_emulator_that_is_not_there_exits_2_saying_how_to_start_one():
    from tests.support.processes import LOOPBACK, free_port

    result = run_stackyard("config", "example", "--endpoint-url", f"http://{LOOPBACK}:{free_port()}")
    assert result.returncode == 2 and "start the emulator first" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""
