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
