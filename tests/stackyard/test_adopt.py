"""`stackyard adopt` as a user runs it, against an estate made the seeds' console way (and a flambé cluster) in a
real moto_server: the adoption file it writes makes the synth import every found resource (the e2e's adoption
scenario deploys that with real Terraform). Refused differences, ambiguous names and an empty account write
nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from stackyard.config import default_config_text
from stackyard.config.adoption import adoption_path, load_adoption
from stackyard.emulator_config import emulator_config
from stackyard.stack_names import STACK_ORDER
from tests.stackyard.test_discover import stackyard
from tests.support.cli import run_main, run_stackyard


def write_config(tmp_path: Path, endpoint: str, change=None) -> Path:
    """The README's emulator config (`config example --endpoint-url`), its state kept in tmp_path."""
    config, _ = emulator_config(endpoint)
    config["backend"] = {"type": "local", "path": str(tmp_path / "state" / "terraform.{stack}.tfstate")}
    pem = tmp_path / "my-pair.pem"
    pem.write_text("not a real key\n")
    pem.chmod(0o400)
    config["cluster"]["key"] = str(pem)
    if change is not None:
        change(config)
    path = tmp_path / "stackyard.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_adopt_writes_an_adoption_file_that_makes_the_synth_import_every_found_resource(fresh_estate, tmp_path):
    """What the file says and what the synth makes of it; the e2e's adoption scenario then deploys it with the
    engine's CLI and real Terraform (every import applied, nothing destroyed, a clean second plan)."""
    config = write_config(tmp_path, fresh_estate.endpoint)
    adopted = stackyard("adopt", "--config", str(config))
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr
    assert "no second key is created" in adopted.stderr
    adoption = load_adoption(config)
    assert adoption.stacks["data"].resources["store-access-key"].existing == fresh_estate.ids["access_key_id"]
    assert adoption.stacks["workers"].resources["key-pair"].existing == "valohai-queue"
    assert adoption.stacks["cluster"].imports() == {
        "orchestrator": fresh_estate.ids["cluster"]["my-cluster_orchestrator"],
        "factory-1": fresh_estate.ids["cluster"]["my-cluster_factory_1"],
        "factory-2": fresh_estate.ids["cluster"]["my-cluster_factory_2"],
    }
    # The console's inline rules, each in the standalone rule resource of the same protocol, port and source.
    assert {"queue-redis-app", "queue-redis-workers", "queue-http-acme", "queue-ssh", "queue-egress"} <= set(
        adoption.stacks["workers"].imports()
    )

    synth = run_main(config, tmp_path / "cdktf.out")
    assert synth.returncode == 0, synth.stderr
    expected_imports = sum(len(stack.imports()) for stack in adoption.stacks.values())
    assert f"{expected_imports} existing resource(s) imported" in synth.stdout
    for stack in STACK_ORDER:
        document = json.loads((tmp_path / "cdktf.out" / "stacks" / stack / "cdk.tf.json").read_text())
        ids = sorted(block["id"] for block in document.get("import", []))
        assert ids == sorted(adoption.stacks[stack].imports().values()), stack


def test_a_vpc_cidr_the_estate_does_not_have_is_refused_naming_the_field_and_both_values(estate, tmp_path):
    config = write_config(tmp_path, estate.endpoint, lambda c: c["network"].update(vpc_cidr="10.9.0.0/16"))
    result = stackyard("adopt", "--config", str(config))
    assert result.returncode == 2, result.stdout + result.stderr
    refusal = next(line for line in result.stderr.splitlines() if "network.vpc_cidr" in line)
    assert "'10.9.0.0/16'" in refusal and "'10.0.0.0/16'" in refusal and "replace the VPC" in refusal
    assert not adoption_path(config).exists(), "nothing written"


def test_a_cluster_in_another_subnet_is_refused_naming_cluster_subnet_id(estate, tmp_path):
    config = write_config(
        tmp_path, estate.endpoint, lambda c: c["cluster"].update(subnet_id="subnet-0123456789abcdef0")
    )
    result = stackyard("adopt", "--config", str(config))
    assert result.returncode == 2
    assert f"cluster.subnet_id = 'subnet-0123456789abcdef0', but what exists has '{estate.ids['cluster_subnet']}'" in (
        result.stderr
    )
    assert not adoption_path(config).exists()


def test_two_vpcs_named_valohai_vpc_are_refused_as_ambiguous(fresh_estate, tmp_path):
    ec2 = fresh_estate.client("ec2")
    second = ec2.create_vpc(CidrBlock="10.9.0.0/16", TagSpecifications=fresh_estate.ec2_tags("vpc", "valohai-vpc"))
    config = write_config(tmp_path, fresh_estate.endpoint)
    result = stackyard("adopt", "--config", str(config))
    assert result.returncode == 2
    line = next(line for line in result.stderr.splitlines() if "VPC named valohai-vpc" in line)
    assert fresh_estate.ids["vpc"] in line and second["Vpc"]["VpcId"] in line and "rename or delete" in line
    assert not adoption_path(config).exists()


def test_an_empty_account_adopts_nothing_and_the_synth_imports_nothing(empty_account, tmp_path):
    config = write_config(tmp_path, empty_account)
    # An earlier run's entry, for a VPC that is gone now: kept, it would make the deploy import nothing that exists.
    adoption_path(config).write_text(
        yaml.safe_dump({"stacks": {"workers": {"resources": {"vpc": {"import_id": "vpc-1"}}}}})
    )
    result = stackyard("adopt", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "nothing found to adopt" in result.stderr and "removed this config's earlier entries" in result.stderr
    assert not adoption_path(config).exists()
    synth = run_main(config, tmp_path / "cdktf.out")
    assert synth.returncode == 0, synth.stderr
    for stack in STACK_ORDER:
        assert "import" not in json.loads((tmp_path / "cdktf.out" / "stacks" / stack / "cdk.tf.json").read_text())


@pytest.mark.parametrize(
    ("adoption", "expected"),
    [
        ({"stacks": {"workers": {"resources": {"vpcc": {"import_id": "vpc-1"}}}}}, "stacks.workers.resources.vpcc:"),
        ({"stacks": {"staging-workers": {}}}, "stacks.staging-workers: the config makes no such stack"),
        ({"stacks": {"workers": {"resources": {"vpc": {}}}}}, "give exactly one of import_id"),
        ({"stacks": {"workers": {"resourcs": {}}}}, "stacks.workers.resourcs: unknown key"),
    ],
)
def test_a_bad_adoption_file_stops_the_synth_with_the_field_and_writes_nothing(tmp_path, adoption, expected):
    config = tmp_path / "stackyard.yaml"
    config.write_text(default_config_text())
    adoption_path(config).write_text(yaml.safe_dump(adoption))
    result = run_main(config, tmp_path / "cdktf.out")
    assert result.returncode == 2
    assert str(adoption_path(config)) in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "cdktf.out").exists()


def test_config_check_reads_the_adoption_file_beside_the_config(tmp_path):
    config = tmp_path / "stackyard.yaml"
    config.write_text(default_config_text())
    adoption_path(config).write_text(
        yaml.safe_dump({"stacks": {"workers": {"resources": {"vpc": {"import_id": "vpc-1"}}}}})
    )
    checked = run_stackyard("config", "check", str(config))
    assert checked.returncode == 0, checked.stderr
    assert f"{adoption_path(config)}: 1 existing resource(s) to import instead of creating" in checked.stdout
    adoption_path(config).write_text(yaml.safe_dump({"stacks": {"prod-workers": {}}}))
    refused = run_stackyard("config", "check", str(config))
    assert refused.returncode == 2 and "stacks.prod-workers: the config makes no such stack" in refused.stderr


def test_a_config_with_environments_needs_the_one_to_adopt(tmp_path):
    data = yaml.safe_load(default_config_text())
    data["environments"] = [{"name": "dev", "overrides": {}}, {"name": "prod", "overrides": {}}]
    config = tmp_path / "stackyard.yaml"
    config.write_text(yaml.safe_dump(data))
    result = run_stackyard("adopt", "--config", str(config))
    assert result.returncode == 2 and "has environments (dev, prod); name the one to adopt with --environment" in (
        result.stderr
    )
    assert not adoption_path(config).exists()


def test_adopting_one_environment_keeps_the_others_entries_and_drops_stale_ones(empty_account, tmp_path):
    environments = [{"name": "dev", "overrides": {}}, {"name": "prod", "overrides": {}}]
    config = write_config(tmp_path, empty_account, lambda c: c.update(environments=environments))
    entry = {"resources": {"vpc": {"import_id": "vpc-1"}}}
    earlier = {"stacks": {"dev-workers": entry, "prod-workers": entry, "workers": entry}}
    adoption_path(config).write_text(yaml.safe_dump(earlier))
    result = stackyard("adopt", "--config", str(config), "--environment", "prod")
    assert result.returncode == 0, result.stderr
    assert list(load_adoption(config).stacks) == ["dev-workers"], "prod's found nothing; `workers` is no stack here"


def test_instances_an_interrupted_deploy_ran_twice_are_refused_as_ambiguous_naming_both(fresh_estate, tmp_path):
    """A second valohai-i-queue and a second my-cluster_factory_1 beside the console estate: adopt names both ids of
    each and writes nothing, rather than picking one."""
    ec2 = fresh_estate.client("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    twins = {}
    for name in ("valohai-i-queue", "my-cluster_factory_1"):
        (original,) = [
            i
            for r in ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": [name]}])["Reservations"]
            for i in r["Instances"]
        ]
        tags = [tag for tag in original["Tags"] if not tag["Key"].startswith("aws:")]
        second = ec2.run_instances(
            ImageId=image, InstanceType=original["InstanceType"], MinCount=1, MaxCount=1,
            TagSpecifications=[{"ResourceType": "instance", "Tags": tags}],
        )["Instances"][0]["InstanceId"]  # fmt: skip
        twins[name] = (original["InstanceId"], second)
    config = write_config(tmp_path, fresh_estate.endpoint)
    result = stackyard("adopt", "--config", str(config))
    assert result.returncode == 2, result.stdout + result.stderr
    for first, second in twins.values():
        line = next(line for line in result.stderr.splitlines() if first in line)
        assert second in line and "rename or delete" in line, line
    assert not adoption_path(config).exists()
