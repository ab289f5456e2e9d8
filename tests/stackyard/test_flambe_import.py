"""`stackyard config import-flambe`: a flambé aws-cluster.yaml becomes a complete stackyard config."""

from __future__ import annotations

import pytest
import yaml

from stackyard.config import parse_config
from tests.support import seeds
from tests.support.cli import run_stackyard


def import_file(tmp_path, text: str):
    path = tmp_path / "aws-cluster.yaml"
    path.write_text(text)
    return run_stackyard("config", "import-flambe", str(path))


def test_seeds_template_imports_into_a_valid_complete_config(tmp_path):
    result = import_file(tmp_path, seeds.FLAMBE_TEMPLATE)
    assert result.returncode == 0, result.stderr
    config = parse_config(result.stdout, "imported")
    cluster = config.cluster
    assert (cluster.name, cluster.factories_num, cluster.factories_type, cluster.orchestrator_type) == (
        "my-cluster",
        2,
        "t3.small",
        "t3.small",
    )
    assert (cluster.orchestrator_timeout, cluster.factories_timeout, cluster.volume_size) == (-1, -1, 100)
    assert (cluster.creator, cluster.key_name, cluster.key) == ("user@company.com", "my-pair", "/path/to/my-pair.pem")
    assert cluster.tags == {"project": "my-project", "company": "my-company"}
    # The template's placeholders are replaced by the stacks' own network and group, and the user is told.
    assert cluster.subnet_id is None and cluster.security_group is None
    assert "subnet-XXXXXXXXXXXXXXX" in result.stderr and "sg-XXXXXXXXXXXXXXX" in result.stderr
    # Every other section is the embedded default.
    assert config.data_store.enabled and config.workers.enabled and config.queue.enabled


def test_imported_template_synthesizes_as_described(tmp_path, synth_config):
    data = yaml.safe_load(import_file(tmp_path, seeds.FLAMBE_TEMPLATE).stdout)
    synth = synth_config(data)
    instances = synth.resources("cluster", "aws_instance").values()
    assert sorted(i["tags"]["Name"] for i in instances) == [
        "my-cluster_factory_1",
        "my-cluster_factory_2",
        "my-cluster_orchestrator",
    ]
    assert all(i["tags"]["company"] == "my-company" for i in instances)
    assert all(i["root_block_device"]["volume_size"] == 100 for i in instances)
    assert synth.resources("cluster", "aws_cloudwatch_metric_alarm") == {}, "-1 timeouts: never shut down"


def test_real_ids_and_flambe_defaults_are_kept(tmp_path):
    text = seeds.FLAMBE_TEMPLATE.replace("subnet-XXXXXXXXXXXXXXX", "subnet-0a1b2c3d4e5f60718")
    text = text.replace("orchestrator_timeout: -1", "orchestrator_timeout: 10").replace("factories_timeout: -1\n", "")
    config = parse_config(import_file(tmp_path, text).stdout, "imported")
    assert config.cluster.subnet_id == "subnet-0a1b2c3d4e5f60718"
    assert config.cluster.factories_timeout == 1, "flambé's own default when the file leaves it out"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (("factories_num: 2", "factories_num: -3"), "factories_num"),
        (("factories_timeout: -1", "factories_timeout: -5"), "factories_timeout"),
        (("volume_size: 100", "volume_size: 100\ngpu_count: 4"), "gpu_count"),
        (("name: my-cluster\n", ""), "name"),
        (("subnet_id: subnet-XXXXXXXXXXXXXXX", "subnet_id: my-subnet"), "subnet_id"),
        (("    project: my-project", "    Name: custom"), "tags"),
    ],
)
def test_bad_flambe_files_exit_2_naming_the_key(tmp_path, change, key):
    result = import_file(tmp_path, seeds.FLAMBE_TEMPLATE.replace(*change))
    assert result.returncode == 2
    assert f"  - {key}" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_file_without_the_awscluster_tag_is_rejected(tmp_path):
    result = import_file(tmp_path, seeds.FLAMBE_TEMPLATE.replace("!AWSCluster", ""))
    assert result.returncode == 2
    assert "!AWSCluster" in result.stderr


# flambe/cluster/aws.py, AWSCluster.__init__(self, name, factories_num, factories_type, orchestrator_type, key_name,
# security_group, subnet_id, creator, key, volume_type='gp2', region_name=None, username="ubuntu", tags=None,
# orchestrator_ami=None, factory_ami=None, dedicated=False, orchestrator_timeout=-1, factories_timeout=1,
# volume_size=100, setup_cmds=None)
EVERY_AWSCLUSTER_PARAMETER = """\
!AWSCluster
name: exp-1
factories_num: 1
factories_type: g4dn.xlarge
orchestrator_type: t3.large
key_name: team-key
security_group: sg-0a1b2c3d4e5f60718
subnet_id: subnet-0a1b2c3d4e5f60718
creator: ml@acme.example
key: ~/.ssh/team-key.pem
volume_type: io1
region_name: us-west-2
username: ec2-user
tags: {team: nlp}
orchestrator_ami: ami-0123456789abcdef0
factory_ami: ami-0fedcba9876543210
dedicated: true
orchestrator_timeout: 12
factories_timeout: 3
volume_size: 200
setup_cmds: [pip install flambe]
"""


def test_every_awscluster_parameter_is_accepted_and_mapped(tmp_path, synth_config):
    result = import_file(tmp_path, EVERY_AWSCLUSTER_PARAMETER)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(result.stdout)
    config = parse_config(result.stdout, "imported")
    cluster = config.cluster
    assert config.aws.region == "us-west-2", "region_name"
    assert (cluster.volume_type, cluster.volume_size, cluster.username, cluster.dedicated) == (
        "io1",
        200,
        "ec2-user",
        True,
    )
    assert (cluster.security_group, cluster.subnet_id) == ("sg-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60718")
    assert (cluster.orchestrator_ami, cluster.factory_ami) == ("ami-0123456789abcdef0", "ami-0fedcba9876543210")
    assert (cluster.orchestrator_timeout, cluster.factories_timeout, cluster.setup_cmds) == (
        12,
        3,
        ["pip install flambe"],
    )
    assert "io1: provisioned with 5000 IOPS" in result.stderr
    assert config.network.availability_zones is None and "the region's zones" in result.stderr
    devices = [i["root_block_device"] for i in synth_config(data).resources("cluster", "aws_instance").values()]
    assert [(d["volume_type"], d["iops"]) for d in devices] == [("io1", 5000), ("io1", 5000)]


def test_left_out_volume_type_and_region_keep_flambes_gp2_and_the_configs_region_and_say_so(tmp_path):
    result = import_file(tmp_path, seeds.FLAMBE_TEMPLATE)
    config = parse_config(result.stdout, "imported")
    assert (config.cluster.volume_type, config.aws.region) == ("gp2", "eu-west-1")
    assert "flambé's default gp2 is kept" in result.stderr and "region_name is not set" in result.stderr


def test_a_bad_region_name_is_named_as_flambe_spells_it(tmp_path):
    result = import_file(tmp_path, EVERY_AWSCLUSTER_PARAMETER.replace("us-west-2", "moon-1"))
    assert result.returncode == 2 and "  - region_name = 'moon-1'" in result.stderr
