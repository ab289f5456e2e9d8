"""Environments: one config file, several sets of stacks (<env>-data, <env>-workers, <env>-cluster), each the
top-level config with its own region/profile/account and overrides."""

from __future__ import annotations

import pytest

from stackyard.config import ConfigError, validate_config_data
from stackyard.outputs import OutputsError, StackOutputs
from tests.support.configs import CLUSTER_IDENTITY

ASSUME_ROLE_ARN = "arn:aws:iam::123456789012:role/valohai-assume-role"
BASE = {
    "data_store": {"bucket_name": "acme-ml-data"},
    "workers": {"assume_role_arn": ASSUME_ROLE_ARN},
    "cluster": {**CLUSTER_IDENTITY, "access_cidrs": ["198.51.100.0/24"]},
}
ENVIRONMENTS = [
    {"name": "dev", "account_id": "111111111111", "overrides": {"data_store": {"bucket_name": "acme-ml-data-dev"}}},
    {
        "name": "prod",
        "region": "us-west-2",
        "profile": "prod",
        "overrides": {"data_store": {"bucket_name": "acme-ml-data-prod"}, "cluster": {"factories_num": 0}},
    },
]


@pytest.fixture(scope="module")
def synth(synth_config):
    return synth_config({**BASE, "environments": ENVIRONMENTS})


def test_each_environment_gets_its_own_prefixed_stacks(synth):
    assert synth.stack_names() == sorted(
        f"{env}-{stack}" for env in ("dev", "prod") for stack in ("data", "workers", "cluster")
    )
    assert synth.one("dev-data", "aws_s3_bucket", within="store_")["bucket"] == "acme-ml-data-dev"
    assert synth.one("prod-data", "aws_s3_bucket", within="store_")["bucket"] == "acme-ml-data-prod"
    assert (
        len(synth.resources("dev-cluster", "aws_instance")) == 3
        and len(synth.resources("prod-cluster", "aws_instance")) == 1
    )


def test_region_profile_and_account_guard_reach_the_provider(synth):
    (dev,) = synth.stack("dev-workers")["provider"]["aws"]
    (prod,) = synth.stack("prod-workers")["provider"]["aws"]
    assert (dev["region"], dev["allowed_account_ids"], "profile" not in dev) == ("eu-west-1", ["111111111111"], True)
    assert (prod["region"], prod["profile"], "allowed_account_ids" not in prod) == ("us-west-2", "prod", True)


def test_each_stack_keeps_its_own_state(synth):
    paths = {synth.stack(stack)["terraform"]["backend"]["local"]["path"] for stack in synth.stack_names()}
    assert len(paths) == 6 and all(path.endswith(".tfstate") for path in paths)


def test_the_cluster_uses_its_own_environments_network(synth):
    raw = synth.raw("prod-cluster")
    assert "dev-workers" not in raw and "prod-workers" in raw


def test_a_bad_override_is_reported_under_its_environment():
    bad = {**BASE, "environments": [{"name": "dev", "overrides": {"data_store": {"bucket_name": "Bad_Bucket"}}}]}
    with pytest.raises(ConfigError) as caught:
        validate_config_data(bad, "envs.yaml")
    (problem,) = caught.value.problems
    assert problem.startswith("environments: [0] dev: data_store.bucket_name = 'Bad_Bucket': not a valid S3 bucket")


def test_environment_names_are_unique_and_short():
    with pytest.raises(ConfigError, match="names must be unique"):
        validate_config_data({**BASE, "environments": [{"name": "a"}, {"name": "a"}]}, "envs.yaml")
    with pytest.raises(ConfigError, match=r"environments\[0\]\.name"):
        validate_config_data({**BASE, "environments": [{"name": "Prod_1"}]}, "envs.yaml")


def test_outputs_of_one_environment_read_like_a_single_deployment():
    outputs = StackOutputs({"dev-data": {"bucket_name": "d"}, "prod-data": {"bucket_name": "p"}}, "outputs.json")
    assert outputs.for_environment("prod").stacks == {"data": {"bucket_name": "p"}}
    with pytest.raises(OutputsError, match="no stack of environment 'qa'"):
        outputs.for_environment("qa")
