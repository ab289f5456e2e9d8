"""The adoption file in the stacks: an entry becomes a Terraform import block on the resource of its slot, with its
kept values; a used key pair or access key is not created; a slot no stack has stops the build."""

from __future__ import annotations

import pytest

from stackyard.config import ConfigError, load_default_config
from stackyard.config.adoption import Adoption
from stackyard.config.model import ProtectionSettings
from tests.support.synth import synthesize

ADOPTION = {
    "stacks": {
        "data": {
            "resources": {"bucket": {"import_id": "my-valohai-bucket"}, "store-access-key": {"existing": "AKIA0"}}
        },
        "workers": {
            "resources": {
                "vpc": {"import_id": "vpc-0a"},
                "queue-security-group": {"import_id": "sg-0b", "keep": {"description": "valohai queue"}},
                "queue-redis-app": {"import_id": "sgr-0c"},
                "queue-instance": {
                    "import_id": "i-0d",
                    "keep": {"ebs_optimized": False, "root_block_device.encrypted": False},
                    "ignore": ["user_data"],
                },
                "key-pair": {"existing": "valohai-queue"},
            }
        },
        "cluster": {"resources": {"factory-2": {"import_id": "i-0e", "ignore": ["user_data"]}}},
    }
}


@pytest.fixture(scope="module")
def adopted(tmp_path_factory):
    return synthesize(load_default_config(), tmp_path_factory.mktemp("adopted"), Adoption.model_validate(ADOPTION))


def imports(synth, stack: str) -> dict[str, str]:
    return {block["to"]: block["id"] for block in synth.stack(stack).get("import", [])}


def test_each_entry_imports_into_the_resource_of_its_slot(adopted):
    assert imports(adopted, "data") == {adopted.address("data", "aws_s3_bucket", within="store_"): "my-valohai-bucket"}
    workers = imports(adopted, "workers")
    assert workers == {
        adopted.address("workers", "aws_vpc"): "vpc-0a",
        adopted.address("workers", "aws_security_group", within="security_groups_queue"): "sg-0b",
        adopted.address("workers", "aws_vpc_security_group_ingress_rule", within="security_groups_queue_redis_app"): (
            "sgr-0c"
        ),
        adopted.address("workers", "aws_instance"): "i-0d",
    }
    assert imports(adopted, "cluster") == {adopted.address("cluster", "aws_instance", within="factory_2"): "i-0e"}


def test_kept_values_and_ignored_attributes_are_set_on_the_adopted_resource_only(adopted, default_synth):
    group = adopted.one("workers", "aws_security_group", within="security_groups_queue")
    assert group["description"] == "valohai queue"
    queue = adopted.one("workers", "aws_instance")
    assert (queue["ebs_optimized"], queue["root_block_device"]["encrypted"]) == (False, False)
    assert queue["lifecycle"]["ignore_changes"] == ["ami", "user_data"], "the stack's own ignore stays, once"
    assert default_synth.one("workers", "aws_instance")["ebs_optimized"] is True
    factory_1 = adopted.one("cluster", "aws_instance", within="factory_1")
    assert factory_1["lifecycle"]["ignore_changes"] == ["ami"]


def test_a_used_key_pair_and_access_key_are_not_created(adopted, default_synth):
    assert adopted.resources("workers", "aws_key_pair") == {} != default_synth.resources("workers", "aws_key_pair")
    assert adopted.one("workers", "aws_instance")["key_name"] == "valohai-queue"
    assert adopted.resources("data", "aws_iam_access_key") == {}
    outputs = adopted.stack("data")["output"]
    assert outputs["access_key_id"]["value"] == "AKIA0" and "secret_access_key" not in outputs


def test_a_slot_no_stack_has_stops_the_build_naming_it_and_the_slots_there_are(tmp_path):
    wrong = Adoption.model_validate({"stacks": {"workers": {"resources": {"queue-redis": {"import_id": "sgr-1"}}}}})
    with pytest.raises(ConfigError) as error:
        synthesize(load_default_config(), tmp_path, wrong)
    (problem,) = error.value.problems
    assert problem.startswith("stacks.workers.resources.queue-redis: the workers stack has no such place")
    assert "queue-redis-app" in problem and "queue-redis-workers" in problem
    assert not (tmp_path / "stacks").exists()


def test_every_imported_resource_is_protected_and_its_slot_name_allows_it(adopted, tmp_path):
    """What existed before stackyard is never deleted or replaced by a plan unless the config names it."""
    for stack in ("data", "workers", "cluster"):
        for address in imports(adopted, stack):
            resource_type, logical_id = address.split(".")
            body = adopted.stack(stack)["resource"][resource_type][logical_id]
            assert body["lifecycle"]["prevent_destroy"] is True, address
    config = load_default_config().model_copy(update={"protection": ProtectionSettings(allow_replace=["vpc"])})
    allowed = synthesize(config, tmp_path, Adoption.model_validate(ADOPTION))
    assert "prevent_destroy" not in allowed.one("workers", "aws_vpc").get("lifecycle", {})
    assert allowed.one("workers", "aws_instance")["lifecycle"]["prevent_destroy"] is True
