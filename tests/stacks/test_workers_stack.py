"""The hybrid-workers stack carries seed 001's policies, network, firewall and queue instance exactly."""

from __future__ import annotations

import json

import pytest

from tests.support import seeds

WORKERS = "workers"
ASSUME_ROLE_ARN = "arn:aws:iam::123456789012:role/valohai-assume-role"
BASE = {
    "data_store": {"bucket_name": "stackyard-test-bucket", "enabled": False},
    "workers": {"assume_role_arn": ASSUME_ROLE_ARN},
    "cluster": {"enabled": False},
}


def variant(**sections):
    config = {key: dict(value) for key, value in BASE.items()}
    for section, values in sections.items():
        config[section] = {**config.get(section, {}), **values}
    return config


def resource_names_by_ref(synth, resource_type: str, attribute: str = "id") -> dict[str, str]:
    """Map `${type.logical_id.attribute}` back to each resource's Name tag (or name)."""
    return {
        f"${{{resource_type}.{logical_id}.{attribute}}}": body.get("name") or body["tags"]["Name"]
        for logical_id, body in synth.resources(WORKERS, resource_type).items()
    }


def ingress_rules(synth) -> set[tuple[str, int, str]]:
    """(group name, port, source) for every ingress rule; a source group is shown by its name."""
    groups = resource_names_by_ref(synth, "aws_security_group")
    rules = set()
    for rule in synth.resources(WORKERS, "aws_vpc_security_group_ingress_rule").values():
        assert rule["ip_protocol"] == "tcp" and rule["from_port"] == rule["to_port"]
        assert rule["description"], "every rule says why it exists"
        source = rule.get("cidr_ipv4") or groups[rule["referenced_security_group_id"]]
        rules.add((groups[rule["security_group_id"]], rule["from_port"], source))
    return rules


# --- IAM -------------------------------------------------------------------------------------------------


def test_worker_policy_is_the_seeds_verbatim(default_synth):
    policies = default_synth.resources(WORKERS, "aws_iam_policy")
    (worker,) = [p for p in policies.values() if p["name"] == "ValohaiWorkerPolicy"]
    assert json.loads(worker["policy"]) == seeds.WORKER_POLICY


def test_worker_role_is_trusted_by_ec2_and_has_an_instance_profile(default_synth):
    roles = {role["name"]: role for role in default_synth.resources(WORKERS, "aws_iam_role").values()}
    trust = json.loads(roles["ValohaiWorkerRole"]["assume_role_policy"])
    assert trust["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]
    profile = default_synth.one(WORKERS, "aws_iam_instance_profile")
    assert profile["name"] == "ValohaiWorkerRole"
    role_names = resource_names_by_ref(default_synth, "aws_iam_role", "name")
    assert role_names[profile["role"]] == "ValohaiWorkerRole"


def test_each_role_has_its_own_policy_attached(default_synth):
    role_names = resource_names_by_ref(default_synth, "aws_iam_role", "name")
    policy_names = resource_names_by_ref(default_synth, "aws_iam_policy", "arn")
    attachments = {
        (role_names[a["role"]], policy_names[a["policy_arn"]])
        for a in default_synth.resources(WORKERS, "aws_iam_role_policy_attachment").values()
    }
    assert attachments == {("ValohaiWorkerRole", "ValohaiWorkerPolicy"), ("ValohaiMaster", "ValohaiMasterPolicy")}


def master_documents(synth):
    (master_policy,) = [
        p for p in synth.resources(WORKERS, "aws_iam_policy").values() if p["name"] == "ValohaiMasterPolicy"
    ]
    (master_role,) = [r for r in synth.resources(WORKERS, "aws_iam_role").values() if r["name"] == "ValohaiMaster"]
    return json.loads(master_policy["policy"]), json.loads(master_role["assume_role_policy"])


def test_master_policy_is_the_seeds_statement_by_statement_with_the_worker_role_referenced(default_synth):
    (worker_role_id,) = [
        logical
        for logical, role in default_synth.resources(WORKERS, "aws_iam_role").items()
        if role["name"] == "ValohaiWorkerRole"
    ]
    worker_role_arn = f"${{aws_iam_role.{worker_role_id}.arn}}"
    expected = seeds.substitute(seeds.MASTER_POLICY, {seeds.WORKER_ROLE_PLACEHOLDER: worker_role_arn})
    policy, _ = master_documents(default_synth)
    assert policy["Version"] == expected["Version"]
    for produced, seed in zip(policy["Statement"], expected["Statement"], strict=True):
        assert produced == seed, f"statement {seed.get('Sid')} differs"


def test_master_trust_names_only_the_configured_assume_role(default_synth):
    _, trust = master_documents(default_synth)
    expected = seeds.substitute(seeds.MASTER_TRUST, {seeds.ASSUME_ROLE_PLACEHOLDER: ASSUME_ROLE_ARN})
    # The seed's empty "Condition": {} constrains nothing; it is left out rather than sent to IAM.
    del expected["Statement"][0]["Condition"]
    assert trust == expected


def test_external_id_adds_the_condition(synth_config):
    synth = synth_config(variant(workers={"external_id": "valohai-org-42"}))
    _, trust = master_documents(synth)
    assert trust["Statement"][0]["Condition"] == {"StringEquals": {"sts:ExternalId": "valohai-org-42"}}


def test_option_2_attaches_ec2_and_vpc_full_access(synth_config, default_synth):
    synth = synth_config(variant(workers={"grant_provisioning_access": True}))
    arns = {a["policy_arn"] for a in synth.resources(WORKERS, "aws_iam_role_policy_attachment").values()}
    partition = "${data.aws_partition.master_iam_partition_"
    managed = sorted(arn.split("/")[-1] for arn in arns if arn.startswith("arn:" + partition))
    assert managed == ["AmazonEC2FullAccess", "AmazonVPCFullAccess"]
    assert len(default_synth.resources(WORKERS, "aws_iam_role_policy_attachment")) == 2


# --- network ---------------------------------------------------------------------------------------------


def test_vpc_has_the_seed_range_and_dns(default_synth):
    vpc = default_synth.one(WORKERS, "aws_vpc")
    assert vpc["cidr_block"] == "10.0.0.0/16"
    assert vpc["enable_dns_hostnames"] is True and vpc["enable_dns_support"] is True
    assert vpc["tags"] == {"Name": "valohai-vpc"}


def test_one_subnet_per_zone_with_the_seed_ranges_and_names(default_synth):
    subnets = sorted(default_synth.resources(WORKERS, "aws_subnet").values(), key=lambda s: s["tags"]["Name"])
    assert [s["cidr_block"] for s in subnets] == seeds.SUBNET_CIDRS
    assert [s["tags"]["Name"] for s in subnets] == seeds.SUBNET_NAMES
    # the default pins eu-west-1's three zones; the fourth subnet wraps around to the first zone
    zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1a"]
    assert [s["availability_zone"] for s in subnets] == zones
    assert default_synth.data_sources(WORKERS, "aws_availability_zones") == {}
    assert all(s["vpc_id"] == default_synth.ref(WORKERS, "aws_vpc", "id") for s in subnets)


def test_unpinned_subnets_take_the_regions_available_zones_in_order(synth_config):
    synth = synth_config(variant(network={"availability_zone_count": 2}))
    subnets = sorted(synth.resources(WORKERS, "aws_subnet").values(), key=lambda s: s["tags"]["Name"])
    zones = synth.address(WORKERS, "data.aws_availability_zones")
    assert synth.data_sources(WORKERS, "aws_availability_zones")[zones.split(".")[-1]]["state"] == "available"
    assert [s["availability_zone"] for s in subnets] == [f"${{element({zones}.names, {i})}}" for i in range(2)]


# --- VPC flow logs --------------------------------------------------------------------------------------


def test_flow_logs_record_all_vpc_traffic_into_a_retained_log_group(default_synth):
    group = default_synth.one(WORKERS, "aws_cloudwatch_log_group")
    assert group["retention_in_days"] == 365
    assert "kms_key_id" not in group
    flow_log = default_synth.one(WORKERS, "aws_flow_log")
    assert flow_log["vpc_id"] == default_synth.ref(WORKERS, "aws_vpc", "id")
    assert flow_log["traffic_type"] == "ALL"
    assert flow_log["log_destination_type"] == "cloud-watch-logs"
    assert flow_log["log_destination"] == default_synth.ref(WORKERS, "aws_cloudwatch_log_group", "arn")
    assert default_synth.stack(WORKERS)["output"]["flow_log_group"]["value"] == default_synth.ref(
        WORKERS, "aws_cloudwatch_log_group", "name"
    )


def test_flow_log_role_only_writes_its_own_log_group(default_synth):
    role_ref = default_synth.ref(WORKERS, "aws_iam_role", "arn", within="flow_logs")
    assert default_synth.one(WORKERS, "aws_flow_log")["iam_role_arn"] == role_ref
    (trust,) = default_synth.policy(WORKERS, "aws_iam_role", "assume_role_policy", within="flow_logs")["Statement"]
    assert trust["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    account = default_synth.ref(WORKERS, "data.aws_caller_identity", "account_id")
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": account}}
    write, describe = default_synth.policy(WORKERS, "aws_iam_role_policy", within="flow_logs")["Statement"]
    group_arn = default_synth.ref(WORKERS, "aws_cloudwatch_log_group", "arn")
    assert write["Resource"] == [group_arn, f"{group_arn}:*"]
    assert set(write["Action"]) == {"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"}
    assert describe["Action"] == "logs:DescribeLogGroups"


def test_flow_logs_can_be_encrypted_tuned_or_off(synth_config):
    key = "arn:aws:kms:eu-west-1:123456789012:key/1234"
    tuned = synth_config(
        variant(network={"flow_logs": {"traffic_type": "REJECT", "retention_days": 30, "kms_key_arn": key}})
    )
    assert tuned.one(WORKERS, "aws_cloudwatch_log_group")["kms_key_id"] == key
    assert tuned.one(WORKERS, "aws_cloudwatch_log_group")["retention_in_days"] == 30
    assert tuned.one(WORKERS, "aws_flow_log")["traffic_type"] == "REJECT"
    off = synth_config(variant(network={"flow_logs": {"enabled": False}}))
    assert off.resources(WORKERS, "aws_flow_log") == {} and off.resources(WORKERS, "aws_cloudwatch_log_group") == {}


def test_internet_gateway_and_route_table_serve_every_subnet(default_synth):
    igw = default_synth.one(WORKERS, "aws_internet_gateway")
    assert igw["tags"] == {"Name": "valohai-igw"}
    route_table = default_synth.one(WORKERS, "aws_route_table")
    assert route_table["tags"] == {"Name": "valohai-rt"}
    (route,) = route_table["route"]
    assert route["cidr_block"] == "0.0.0.0/0"
    assert route["gateway_id"] == default_synth.ref(WORKERS, "aws_internet_gateway", "id")
    associations = default_synth.resources(WORKERS, "aws_route_table_association").values()
    subnet_refs = {f"${{aws_subnet.{name}.id}}" for name in default_synth.resources(WORKERS, "aws_subnet")}
    assert {a["subnet_id"] for a in associations} == subnet_refs
    assert {a["route_table_id"] for a in associations} == {default_synth.ref(WORKERS, "aws_route_table", "id")}


def test_default_security_group_is_left_without_rules(default_synth):
    default_group = default_synth.one(WORKERS, "aws_default_security_group")
    assert "ingress" not in default_group and "egress" not in default_group
    assert default_group["vpc_id"] == default_synth.ref(WORKERS, "aws_vpc", "id")


def test_explicit_subnet_ranges_are_used(synth_config):
    synth = synth_config(
        variant(network={"availability_zone_count": 2, "subnet_cidrs": ["10.0.64.0/24", "10.0.65.0/24"]})
    )
    assert sorted(s["cidr_block"] for s in synth.resources(WORKERS, "aws_subnet").values()) == [
        "10.0.64.0/24",
        "10.0.65.0/24",
    ]


# --- security groups -------------------------------------------------------------------------------------


def test_ingress_rules_are_the_seeds_table_port_by_port(default_synth):
    assert ingress_rules(default_synth) == {
        ("valohai-sg-workers", 22, seeds.VALOHAI_SSH_IP),
        ("valohai-sg-queue", 80, "0.0.0.0/0"),
        ("valohai-sg-queue", 63790, seeds.APP_IP),
        ("valohai-sg-queue", 63790, "valohai-sg-workers"),
        ("valohai-sg-queue", 22, seeds.VALOHAI_SSH_IP),
    }


def test_both_groups_allow_all_egress(default_synth):
    groups = resource_names_by_ref(default_synth, "aws_security_group")
    egress = {
        (groups[rule["security_group_id"]], rule["ip_protocol"], rule["cidr_ipv4"])
        for rule in default_synth.resources(WORKERS, "aws_vpc_security_group_egress_rule").values()
    }
    assert egress == {("valohai-sg-workers", "-1", "0.0.0.0/0"), ("valohai-sg-queue", "-1", "0.0.0.0/0")}


def test_groups_use_no_inline_rules(default_synth):
    for group in default_synth.resources(WORKERS, "aws_security_group").values():
        assert "ingress" not in group and "egress" not in group


def test_customer_installed_queue_opens_ssh_to_the_admin_only(synth_config):
    synth = synth_config(
        variant(
            queue={"installed_by": "customer", "admin_ssh_cidr": "203.0.113.7/32", "address": "q.vqueue.net"},
            firewall={"workers_ssh_from_valohai": False, "app_cidr": "198.51.100.1/32"},
        )
    )
    assert ingress_rules(synth) == {
        ("valohai-sg-queue", 80, "0.0.0.0/0"),
        ("valohai-sg-queue", 63790, "198.51.100.1/32"),
        ("valohai-sg-queue", 63790, "valohai-sg-workers"),
        ("valohai-sg-queue", 22, "203.0.113.7/32"),
    }


# --- queue instance --------------------------------------------------------------------------------------


def test_queue_instance_settings(default_synth, default_config):
    instance = default_synth.one(WORKERS, "aws_instance")
    assert instance["tags"] == {"Name": "valohai-i-queue"}
    assert instance["instance_type"] == "t3.medium"
    assert instance["root_block_device"] == {
        "volume_size": 16,
        "volume_type": "gp3",
        "encrypted": True,
        "delete_on_termination": True,
    }
    assert instance["metadata_options"]["http_tokens"] == "required"
    groups = resource_names_by_ref(default_synth, "aws_security_group")
    assert [groups[g] for g in instance["vpc_security_group_ids"]] == ["valohai-sg-queue"]
    subnets = resource_names_by_ref(default_synth, "aws_subnet")
    assert subnets[instance["subnet_id"]] == "valohai-subnet-1"
    key_pair = default_synth.one(WORKERS, "aws_key_pair")
    assert key_pair["key_name"] == "valohai-queue"
    assert key_pair["public_key"] == default_config.queue.key_pair.public_key
    assert instance["key_name"] == default_synth.ref(WORKERS, "aws_key_pair", "key_name")


def test_queue_image_is_canonicals_ubuntu_focal(default_synth):
    instance = default_synth.one(WORKERS, "aws_instance")
    ami = next(iter(default_synth.data_sources(WORKERS, "aws_ami").values()))
    assert instance["ami"] == default_synth.ref(WORKERS, "data.aws_ami", "id")
    assert ami["owners"] == ["099720109477"]
    assert {"name": "name", "values": ["ubuntu/images/hvm-ssd/ubuntu-focal-20.04-amd64-server-*"]} in ami["filter"]
    assert ami["most_recent"] is True
    assert instance["lifecycle"] == {"ignore_changes": ["ami"], "prevent_destroy": True}


def test_elastic_ip_is_associated_with_the_queue(default_synth):
    eip = default_synth.one(WORKERS, "aws_eip")
    assert eip["domain"] == "vpc"
    assert eip["tags"] == {"Name": "valohai-ip-queue"}
    assert eip["depends_on"] == [
        default_synth.ref(WORKERS, "aws_internet_gateway", "id").strip("${}").removesuffix(".id")
    ]
    association = default_synth.one(WORKERS, "aws_eip_association")
    assert association["instance_id"] == default_synth.ref(WORKERS, "aws_instance", "id")
    assert association["allocation_id"] == default_synth.ref(WORKERS, "aws_eip", "id")


def test_pinned_ami_and_existing_key_pair(synth_config):
    synth = synth_config(variant(queue={"ami_id": "ami-0123456789abcdef0", "key_pair": {"name": "ops-key"}}))
    instance = synth.one(WORKERS, "aws_instance")
    assert instance["ami"] == "ami-0123456789abcdef0"
    assert instance["key_name"] == "ops-key"
    assert instance["lifecycle"] == {"prevent_destroy": True}, "a pinned image is not ignored; the queue is protected"
    assert synth.resources(WORKERS, "aws_key_pair") == {}
    assert synth.data_sources(WORKERS, "aws_ami") == {}


def test_public_key_file_creates_the_key_pair(synth_config, tmp_path_factory):
    key_file = tmp_path_factory.mktemp("keys") / "queue.pub"
    key_file.write_text("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBpM/bb2MAcK6O73Fk7OHkAul93Tj/n9PP/fVL+xcU/k me\n")
    synth = synth_config(variant(queue={"key_pair": {"name": "from-file", "public_key_file": str(key_file)}}))
    key_pair = synth.one(WORKERS, "aws_key_pair")
    assert key_pair["public_key"].endswith(" me") and key_pair["key_name"] == "from-file"


def test_no_queue_when_disabled(synth_config):
    synth = synth_config(variant(queue={"enabled": False}))
    assert synth.resources(WORKERS, "aws_instance") == {}
    assert synth.resources(WORKERS, "aws_eip") == {}
    assert "queue_public_ip" not in synth.stack(WORKERS)["output"]


# --- bring your own network ------------------------------------------------------------------------------

EXISTING = {"vpc_id": "vpc-0a1b2c3d4e5f60718", "subnet_ids": ["subnet-0a1b2c3d4e5f60718", "subnet-1a1b2c3d4e5f60718"]}


def test_existing_network_creates_no_network_and_uses_the_ids(synth_config):
    synth = synth_config(variant(network={"existing": EXISTING}))
    for resource_type in (
        "aws_vpc",
        "aws_subnet",
        "aws_internet_gateway",
        "aws_route_table",
        "aws_default_security_group",
    ):
        assert synth.resources(WORKERS, resource_type) == {}, resource_type
    assert {g["vpc_id"] for g in synth.resources(WORKERS, "aws_security_group").values()} == {EXISTING["vpc_id"]}
    assert synth.one(WORKERS, "aws_instance")["subnet_id"] == EXISTING["subnet_ids"][0]
    outputs = synth.stack(WORKERS)["output"]
    assert outputs["vpc_id"]["value"] == EXISTING["vpc_id"]
    assert outputs["subnet_ids"]["value"] == EXISTING["subnet_ids"]
    assert "depends_on" not in synth.one(WORKERS, "aws_eip")


# --- outputs ---------------------------------------------------------------------------------------------


def test_outputs_cover_seed_001s_recorded_values(default_synth):
    outputs = default_synth.stack(WORKERS)["output"]
    recorded = {
        "region",
        "master_role_arn",
        "vpc_id",
        "subnet_names",
        "queue_public_ip",
        "queue_private_ip",
        "key_pair_name",
    }
    assert recorded <= set(outputs)
    assert outputs["subnet_names"]["value"] == seeds.SUBNET_NAMES
    assert outputs["queue_public_ip"]["value"] == default_synth.ref(WORKERS, "aws_eip", "public_ip")
    assert outputs["queue_private_ip"]["value"] == default_synth.ref(WORKERS, "aws_instance", "private_ip")
    ours = {name: output for name, output in outputs.items() if not name.startswith("cross-stack-output-")}
    assert not any(output.get("sensitive") for output in ours.values())


@pytest.mark.parametrize("stack_name", ["data", "workers"])
def test_default_config_synthesizes_both_stacks(default_synth, stack_name):
    assert stack_name in default_synth.stack_names()
