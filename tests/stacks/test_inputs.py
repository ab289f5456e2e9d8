"""Bundle mode's variables (stacks/inputs.py): made only in bundle mode, defaulting to the config's values exactly
(map keys too), lists kept element-wise with their length checked, optional values only when the config sets
them, the cluster's network as a named input in each network layout, and `python main.py --bundle`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from stacks.components.queue_first_boot import shell_word
from stackyard.config import validate_config_data
from tests.conftest import REPO
from tests.support.configs import CLUSTER_IDENTITY
from tests.support.synth import Synthesized, synthesize

EXISTING = {"vpc_id": "vpc-0a1b2c3d4e5f60718", "subnet_ids": ["subnet-0a1b2c3d4e5f60718", "subnet-0b1b2c3d4e5f60719"]}


BASE = {
    "data_store": {"bucket_name": "acme-ml-data"},
    "workers": {"assume_role_arn": "arn:aws:iam::210987654321:role/platform"},
}


@pytest.fixture(scope="module")
def bundle_synth(tmp_path_factory):
    def run(data: dict) -> Synthesized:
        merged = {section: {**BASE.get(section, {}), **data.get(section, {})} for section in {*BASE, *data}}
        merged["tags"] = data.get("tags", {"valohai": "1"})
        config = validate_config_data(merged, "test config")
        return synthesize(config, tmp_path_factory.mktemp("bundle-synth"), bundle=True)

    return run


def test_a_normal_synth_has_no_variables(default_synth, everything_on_synth):
    for synth in (default_synth, everything_on_synth):
        for stack in synth.stack_names():
            assert "variable" not in synth.stack(stack), stack


def test_defaults_are_the_configs_values_with_map_keys_as_written(bundle_synth):
    tags = {"valohai": "1", "cost-center": "ml-platform", "Team.Name": "ml"}
    synth = bundle_synth({"tags": tags, "cluster": {"enabled": False}})
    for stack in ("data", "workers"):
        variables = synth.stack(stack)["variable"]
        assert variables["default_tags"]["default"] == tags, "cdktf would snake-case them: cost_center"
        assert variables["default_tags"]["type"] == "map(string)"
        (provider,) = synth.stack(stack)["provider"]["aws"]
        assert provider["default_tags"] == [{"tags": "${var.default_tags}"}]
        assert provider["region"] == "${var.region}"


def test_a_list_is_used_element_by_element_and_keeps_its_length(bundle_synth):
    synth = bundle_synth({"cluster": {"enabled": False}, "data_store": {"enabled": False}})
    variable = synth.stack("workers")["variable"]["subnet_cidrs"]
    assert variable["type"] == "list(string)" and len(variable["default"]) == 4
    conditions = [rule["condition"] for rule in variable["validation"]]
    assert "${length(var.subnet_cidrs) == 4}" in conditions
    assert any("alltrue([for item in var.subnet_cidrs : can(cidrnetmask(item))])" in c for c in conditions)
    cidrs = sorted(body["cidr_block"] for body in synth.resources("workers", "aws_subnet").values())
    assert cidrs == [f"${{var.subnet_cidrs[{index}]}}" for index in range(4)]
    assert synth.one("workers", "aws_vpc")["cidr_block"] == "${var.vpc_cidr}"


def test_optional_values_become_variables_only_when_the_config_sets_them(bundle_synth, everything_on_synth):
    without = bundle_synth({"cluster": {"enabled": False}, "data_store": {"enabled": False}})
    assert "external_id" not in without.stack("workers")["variable"]
    assert "admin_ssh_cidr" not in without.stack("workers")["variable"]
    with_them = bundle_synth(
        {"cluster": {"enabled": False}, "data_store": {"enabled": False}, "workers": {"external_id": "acme-7"}}
    )
    external_id = with_them.stack("workers")["variable"]["external_id"]
    assert external_id["default"] == "acme-7" and external_id["validation"]
    role = with_them.one("workers", "aws_iam_role", "master_iam")
    assert "${var.external_id}" in role["assume_role_policy"]


@pytest.mark.parametrize(
    ("network", "cluster", "default", "looked_up_by_name"),
    [
        ({}, {}, "", True),
        ({"existing": EXISTING}, {}, EXISTING["subnet_ids"][0], False),
        ({}, {"subnet_id": "subnet-0c1b2c3d4e5f6071a"}, "subnet-0c1b2c3d4e5f6071a", False),
    ],
    ids=["workers-network", "existing-network", "own-subnet"],
)
def test_the_cluster_takes_its_subnet_as_a_named_input(bundle_synth, network, cluster, default, looked_up_by_name):
    synth = bundle_synth(
        {"network": network, "cluster": {**CLUSTER_IDENTITY, "access_cidrs": ["198.51.100.0/24"], **cluster}}
    )
    variables = synth.stack("cluster")["variable"]
    assert variables["subnet_id"]["default"] == default
    assert ("subnet_name" in variables) == looked_up_by_name
    (subnet,) = synth.data_sources("cluster", "aws_subnet").values()
    if looked_up_by_name:
        assert variables["subnet_name"]["default"] == "valohai-subnet-1"
        assert subnet["tags"] == '${var.subnet_id == "" ? { Name = var.subnet_name } : {}}'
    else:
        assert subnet["id"] == "${var.subnet_id}"
    wired = "${data.aws_subnet.subnet.id}" if looked_up_by_name else "${var.subnet_id}"
    for body in synth.resources("cluster", "aws_instance").values():
        assert body["subnet_id"] == wired
    assert synth.one("cluster", "aws_security_group")["vpc_id"] == "${data.aws_subnet.subnet.vpc_id}"
    assert "terraform_remote_state" not in synth.stack("cluster").get("data", {})


def test_a_variable_goes_into_a_script_bare_and_a_value_quoted():
    assert shell_word("${TfToken[TOKEN.12]}") == "${TfToken[TOKEN.12]}"
    assert shell_word("eu-west-1") == "eu-west-1"
    assert shell_word("a b") == "'a b'"


def test_main_py_bundle_option(tmp_path):
    env = {"CDKTF_OUTDIR": str(tmp_path / "out"), "PATH": "/usr/bin:/bin", "STACKYARD_SYNTH_CACHE": "off"}
    done = subprocess.run([sys.executable, "main.py", "--bundle"], cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "bundle mode" in done.stdout
    data = json.loads((tmp_path / "out" / "stacks" / "data" / "cdk.tf.json").read_text())
    assert data["variable"]["bucket_name"]["default"] == "my-valohai-bucket"
    assert data["terraform"]["backend"] == {"local": {"path": "terraform.tfstate"}}
    wrong = subprocess.run([sys.executable, "main.py", "--bundel"], cwd=REPO, env=env, capture_output=True, text=True)
    assert wrong.returncode == 2
    assert "unknown argument --bundel; main.py takes only --bundle" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_a_variable_exists_only_where_something_uses_it(bundle_synth):
    """An AMI per role, and none for factories when there are none (an unused variable would be a dead input)."""
    pinned = {**CLUSTER_IDENTITY, "access_cidrs": ["198.51.100.0/24"], "ami_id": "ami-0123456789abcdef0"}
    with_factories = bundle_synth({"cluster": pinned}).stack("cluster")["variable"]
    assert with_factories["orchestrator_ami_id"]["default"] == with_factories["factory_ami_id"]["default"]
    without = bundle_synth({"cluster": {**pinned, "factories_num": 0}}).stack("cluster")
    assert "factory_ami_id" not in without["variable"] and "factories_type" not in without["variable"]
    text = json.dumps({key: body for key, body in without.items() if key != "variable"})
    for name in without["variable"]:
        assert f"var.{name}" in text, f"variable {name} is used nowhere"


def test_a_region_variable_keeps_the_partitions_s3_domain(bundle_synth):
    """The s3fs URL's domain follows the config's partition though the region itself is a variable."""
    synth = bundle_synth(
        {
            "aws": {"region": "cn-north-1"},
            "cluster": {**CLUSTER_IDENTITY, "ami_id": "ami-0123456789abcdef0", "access_cidrs": ["198.51.100.0/24"]},
        }
    )
    (orchestrator,) = [b for n, b in synth.resources("cluster", "aws_instance").items() if n.startswith("orchestrator")]
    assert "url=https://s3.${var.region}.amazonaws.com.cn" in orchestrator["user_data"]
