"""`stackyard adopt` as a user runs it, against an estate made the seeds' console way (and a flambé cluster) in a
real moto_server: the adoption file it writes makes the synth import every found resource, and real Terraform
with the mirrored provider then creates none of them and replaces none of them; a second plan is clean. Refused
differences, ambiguous names and an empty account write nothing."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from stackyard.config import default_config_text
from stackyard.config.adoption import adoption_path, load_adoption
from stackyard.emulator_config import emulator_config
from stackyard.stack_names import STACK_ORDER
from tests.stackyard.test_discover import stackyard
from tests.support.cli import run_main, run_stackyard
from tests.support.deployed import aws_env
from tests.support.terraform import Terraform, cli_config, drift_beyond_emulator


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


def terraform_in(stack_dir: Path, tmp_path: Path, endpoint: str, attaching: Path | None) -> Terraform:
    terraform = Terraform(stack_dir, cli_config(tmp_path / "terraform"))
    terraform.env |= {key: value for key, value in aws_env(endpoint).items() if key != "AWS_ENDPOINT_URL"}
    terraform.attach(attaching)
    return terraform


def planned(terraform: Terraform, name: str = "adopt.tfplan") -> dict:
    terraform.run("plan", "-input=false", f"-out={name}")
    return json.loads(terraform.run("show", "-json", name).stdout)


def test_adopt_then_deploy_imports_every_found_resource_and_creates_or_replaces_none(
    fresh_estate, tmp_path, attached_terraform
):
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

    terraform = {}
    for stack in STACK_ORDER:  # one at a time: Terraform's plugin cache is not safe for concurrent inits
        stack_dir = tmp_path / "cdktf.out" / "stacks" / stack
        terraform[stack] = terraform_in(stack_dir, tmp_path, fresh_estate.endpoint, attached_terraform)
        terraform[stack].run("init", "-input=false")

    def import_and_apply(stack: str) -> None:
        cdk_json = json.loads((terraform[stack].workdir / "cdk.tf.json").read_text())
        import_targets = {block["to"] for block in cdk_json["import"]}
        assert len(import_targets) == len(adoption.stacks[stack].imports())
        changes = {change["address"]: change["change"] for change in planned(terraform[stack])["resource_changes"]}
        importing = {address for address, change in changes.items() if "importing" in change}
        assert importing == import_targets, f"{stack}: every import block imports"
        touched = {address: change["actions"] for address, change in changes.items() if address in importing}
        assert {tuple(actions) for actions in touched.values()} <= {("no-op",), ("update",)}, touched
        assert not [address for address, change in changes.items() if "delete" in change["actions"]]
        terraform[stack].run("apply", "-input=false", "adopt.tfplan")

    def drift(stack: str) -> list[str]:
        return drift_beyond_emulator(planned(terraform[stack], "second.tfplan"))

    # data and workers side by side (each apply waits a minute on the provider's propagation delays); the cluster
    # reads the workers' state, so it comes after.
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(import_and_apply, STACK_ORDER[:2]))
        import_and_apply("cluster")
        second = dict(zip(STACK_ORDER, pool.map(drift, STACK_ORDER), strict=True))
    assert second == {stack: [] for stack in STACK_ORDER}, "a second plan shows only the emulator's drift"
    ec2 = fresh_estate.client("ec2")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["valohai-vpc"]}])["Vpcs"]
    assert [vpc["VpcId"] for vpc in vpcs] == [fresh_estate.ids["vpc"]], "no second VPC"
    keys = fresh_estate.client("iam").list_access_keys(UserName="valohai-data-store")["AccessKeyMetadata"]
    assert [key["AccessKeyId"] for key in keys] == [fresh_estate.ids["access_key_id"]], "no second access key"


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
