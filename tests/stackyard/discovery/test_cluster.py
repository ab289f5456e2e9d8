"""cluster: a flambé cluster by flambé's own tags (Purpose, creator, Cluster-Name, Role)."""

from __future__ import annotations

from stackyard.discovery.cluster import Cluster
from stackyard.discovery.core.base import State
from stackyard.emulator_config import ubuntu_images


def test_found_with_the_cluster_outputs(find, estate, empty_account):
    assert find(Cluster, empty_account).state is State.MISSING
    finding = find(Cluster, estate.endpoint)
    assert (finding.state, finding.differences) == (State.FOUND, [])
    launched = estate.ids["cluster"]
    assert finding.outputs["orchestrator_instance_id"] == launched["my-cluster_orchestrator"]
    assert finding.outputs["factory_instance_ids"] == [
        launched["my-cluster_factory_1"],
        launched["my-cluster_factory_2"],
    ]


def test_another_creator_finds_nothing_and_a_bigger_config_hears_the_count(find, estate):
    assert find(Cluster, estate.endpoint, config=lambda c: c["cluster"].update(creator="someone@else.org")).state is (
        State.MISSING
    )
    more = find(Cluster, estate.endpoint, config=lambda c: c["cluster"].update(factories_num=3))
    assert more.differences == ["2 factories, the config: 3"]


def test_two_orchestrators_are_ambiguous_as_flambe_says(find, fresh_estate):
    ec2 = fresh_estate.client("ec2")
    tags = {"creator": "user@company.com", "Purpose": "flambe", "Cluster-Name": "my-cluster", "Role": "Orchestrator"}
    ec2.run_instances(
        ImageId=ubuntu_images(ec2)[0], InstanceType="t3.small",
        MinCount=1, MaxCount=1,
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}],
    )  # fmt: skip
    finding = find(Cluster, fresh_estate.endpoint)
    assert finding.state is State.AMBIGUOUS and len(finding.ids) == 2


def test_each_node_is_adopted_into_the_node_of_its_name(find, estate):
    adoption = find(Cluster, estate.endpoint).adoption
    launched = estate.ids["cluster"]
    assert {slot: entry.import_id for slot, entry in adoption.resources.items()} == {
        "orchestrator": launched["my-cluster_orchestrator"],
        "factory-1": launched["my-cluster_factory_1"],
        "factory-2": launched["my-cluster_factory_2"],
    }
    assert all(entry.ignore == ["user_data"] for entry in adoption.resources.values())
    assert adoption.refusals == []
    fewer = find(Cluster, estate.endpoint, config=lambda c: c["cluster"].update(factories_num=1)).adoption
    assert "factory-2" not in fewer.resources
    assert fewer.unmanaged == [f"my-cluster_factory_2 ({launched['my-cluster_factory_2']}): no such node in the config"]


def test_a_key_pair_or_tenancy_the_nodes_do_not_have_is_refused_once(find, estate):
    def change(config):
        config["cluster"] |= {"key_name": "another-pair", "dedicated": True}

    refusals = find(Cluster, estate.endpoint, config=change).adoption.refusals
    assert [(r.field, r.config_value, r.found_value) for r in refusals] == [
        ("cluster.key_name", "another-pair", "my-pair"),
        ("cluster.dedicated", True, False),
    ]


def test_two_nodes_of_one_name_are_ambiguous_naming_both(find, fresh_estate):
    """What a deploy killed mid-apply and run again leaves: a second my-cluster_factory_1 (Terraform never
    recorded the first). Adopting either would hide the other."""
    ec2 = fresh_estate.client("ec2")
    first = fresh_estate.ids["cluster"]["my-cluster_factory_1"]
    (reservation,) = ec2.describe_instances(InstanceIds=[first])["Reservations"]
    tags = [tag for tag in reservation["Instances"][0]["Tags"] if not tag["Key"].startswith("aws:")]
    second = ec2.run_instances(
        ImageId=ubuntu_images(ec2)[0], InstanceType="t3.small",
        MinCount=1, MaxCount=1, TagSpecifications=[{"ResourceType": "instance", "Tags": tags}],
    )["Instances"][0]["InstanceId"]  # fmt: skip
    finding = find(Cluster, fresh_estate.endpoint)
    assert finding.state is State.AMBIGUOUS and finding.ids == sorted([first, second])
