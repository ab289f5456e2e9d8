"""The training-cluster stack: flambé's AWSCluster (seed 004) with auto-shutdown and an s3fs mount (seed 002)."""

from __future__ import annotations

import json

import pytest

from tests.support import seeds
from tests.support.configs import CLUSTER_IDENTITY

CLUSTER = "cluster"
ASSUME_ROLE_ARN = "arn:aws:iam::123456789012:role/valohai-assume-role"
BASE = {
    "data_store": {"bucket_name": "stackyard-test-bucket"},
    "workers": {"assume_role_arn": ASSUME_ROLE_ARN},
    "cluster": {**CLUSTER_IDENTITY, "access_cidrs": ["198.51.100.0/24"]},
}


def variant(**cluster):
    return {**BASE, "cluster": {**BASE["cluster"], **cluster}}


def instances_by_name(synth) -> dict[str, dict]:
    return {body["tags"]["Name"]: body for body in synth.resources(CLUSTER, "aws_instance").values()}


def alarms_by_instance_name(synth) -> dict[str, dict]:
    names = {
        f"${{aws_instance.{logical}.id}}": body["tags"]["Name"]
        for logical, body in synth.resources(CLUSTER, "aws_instance").items()
    }
    return {
        names[a["dimensions"]["InstanceId"]]: a
        for a in synth.resources(CLUSTER, "aws_cloudwatch_metric_alarm").values()
    }


def test_one_orchestrator_and_n_factories_with_flambes_names_and_tags(default_synth, default_config):
    cluster = default_config.cluster
    instances = instances_by_name(default_synth)
    assert sorted(instances) == ["my-cluster_factory_1", "my-cluster_factory_2", "my-cluster_orchestrator"]
    for name, instance in instances.items():
        role = "Orchestrator" if name.endswith("orchestrator") else "Factory"
        assert instance["tags"] == {
            "project": "my-project",
            "creator": cluster.creator,
            "Purpose": "flambe",
            "Cluster-Name": "my-cluster",
            "Role": role,
            "Name": name,
        }
        assert instance["instance_type"] == "t3.small"
        assert instance["key_name"] == cluster.key_name


def test_instances_are_hardened(default_synth):
    for instance in instances_by_name(default_synth).values():
        assert instance["metadata_options"]["http_tokens"] == "required"
        assert instance["root_block_device"] == {
            "volume_size": 100,
            "volume_type": "gp3",
            "encrypted": True,
            "delete_on_termination": True,
        }
        assert instance["ebs_optimized"] is True
        assert instance["associate_public_ip_address"] is True
        assert instance["lifecycle"] == {"ignore_changes": ["ami"]}


@pytest.mark.parametrize(("factories", "expected"), [(0, 1), (5, 6)])
def test_factory_count_follows_factories_num(synth_config, factories, expected):
    synth = synth_config(variant(factories_num=factories, orchestrator_timeout=-1, factories_timeout=-1))
    assert len(synth.resources(CLUSTER, "aws_instance")) == expected


# --- auto-shutdown ---------------------------------------------------------------------------------------


def test_one_alarm_per_instance_with_flambes_thresholds(default_synth):
    # The default config: orchestrator 24 h, factories 2 h.
    alarms = alarms_by_instance_name(default_synth)
    assert sorted(alarms) == sorted(instances_by_name(default_synth))
    orchestrator = alarms["my-cluster_orchestrator"]
    assert (orchestrator["threshold"], orchestrator["period"], orchestrator["evaluation_periods"]) == (4, 300, 288)
    factory = alarms["my-cluster_factory_1"]
    assert (factory["threshold"], factory["period"], factory["evaluation_periods"]) == (0.5, 300, 24)
    for alarm in alarms.values():
        assert alarm["metric_name"] == "CPUUtilization" and alarm["namespace"] == "AWS/EC2"
        assert alarm["statistic"] == "Average" and alarm["comparison_operator"] == "LessThanThreshold"
        (action,) = alarm["alarm_actions"]
        assert action.startswith("arn:${data.aws_partition.") and action.endswith(":automate:eu-west-1:ec2:stop")
        assert alarm["period"] * alarm["evaluation_periods"] <= 86400


def test_timeout_zero_means_five_minutes_and_minus_one_means_no_alarm(synth_config):
    synth = synth_config(variant(orchestrator_timeout=-1, factories_timeout=0))
    alarms = alarms_by_instance_name(synth)
    assert sorted(alarms) == ["my-cluster_factory_1", "my-cluster_factory_2"]
    assert {(a["period"], a["evaluation_periods"]) for a in alarms.values()} == {(300, 1)}


def test_long_timeouts_use_hourly_periods_and_terminate_when_asked(synth_config):
    synth = synth_config(variant(orchestrator_timeout=72, factories_timeout=48, shutdown_action="terminate"))
    alarms = alarms_by_instance_name(synth)
    assert (alarms["my-cluster_orchestrator"]["period"], alarms["my-cluster_orchestrator"]["evaluation_periods"]) == (
        3600,
        72,
    )
    assert all(a["alarm_actions"][0].endswith(":ec2:terminate") for a in alarms.values())


def test_no_alarms_with_flambes_default_timeouts(synth_config):
    synth = synth_config(variant(orchestrator_timeout=-1, factories_timeout=-1))
    assert synth.resources(CLUSTER, "aws_cloudwatch_metric_alarm") == {}


# --- network and security group --------------------------------------------------------------------------


def test_created_group_opens_ssh_tensorboard_and_report_site_to_the_access_ranges(synth_config):
    synth = synth_config(variant(access_cidrs=["198.51.100.0/24", "203.0.113.5/32"]))
    group_ref = synth.ref(CLUSTER, "aws_security_group", "id")
    rules = synth.resources(CLUSTER, "aws_vpc_security_group_ingress_rule").values()
    from_ranges = {(r["from_port"], r["cidr_ipv4"]) for r in rules if "cidr_ipv4" in r}
    assert from_ranges == {
        (port, cidr) for port in (22, *seeds.FLAMBE_PORTS.values()) for cidr in ("198.51.100.0/24", "203.0.113.5/32")
    }
    assert all(r["security_group_id"] == group_ref and r["description"] for r in rules)
    (members,) = [r for r in rules if "referenced_security_group_id" in r]
    assert members["referenced_security_group_id"] == group_ref and members["ip_protocol"] == "-1"
    assert not any(r.get("cidr_ipv4") == "0.0.0.0/0" for r in rules)


def test_default_placement_is_the_workers_network_across_stacks(default_synth):
    remote = default_synth.data_sources(CLUSTER, "terraform_remote_state")
    assert list(remote) == ["cross-stack-reference-input-workers"]
    for instance in instances_by_name(default_synth).values():
        assert instance["subnet_id"].startswith("${data.terraform_remote_state.cross-stack-reference-input-workers.")
    assert "cluster" in {d for d in default_synth.stack_names()}
    manifest = json.loads((default_synth.outdir / "manifest.json").read_text())
    assert set(manifest["stacks"]["cluster"]["dependencies"]) == {"workers", "data"}


def test_existing_subnet_and_security_group_are_used_as_given(synth_config):
    synth = synth_config(variant(subnet_id="subnet-0a1b2c3d4e5f60718", security_group="sg-0a1b2c3d4e5f60718"))
    assert synth.resources(CLUSTER, "aws_security_group") == {}
    assert synth.data_sources(CLUSTER, "terraform_remote_state") == {}
    for instance in instances_by_name(synth).values():
        assert instance["subnet_id"] == "subnet-0a1b2c3d4e5f60718"
        assert instance["vpc_security_group_ids"] == ["sg-0a1b2c3d4e5f60718"]


def test_existing_subnet_with_a_created_group_finds_the_vpc_from_the_subnet(synth_config):
    synth = synth_config(variant(subnet_id="subnet-0a1b2c3d4e5f60718"))
    group = synth.one(CLUSTER, "aws_security_group")
    assert group["vpc_id"] == synth.ref(CLUSTER, "data.aws_subnet", "vpc_id")


# --- images ----------------------------------------------------------------------------------------------


def test_images_are_canonicals_ubuntu_unless_pinned(default_synth, synth_config):
    ami = next(iter(default_synth.data_sources(CLUSTER, "aws_ami").values()))
    assert ami["owners"] == ["099720109477"]
    assert ami["filter"][0]["values"] == ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"]
    pinned = synth_config(variant(orchestrator_ami="ami-0123456789abcdef0", ami_id="ami-0fedcba9876543210"))
    instances = instances_by_name(pinned)
    assert instances["my-cluster_orchestrator"]["ami"] == "ami-0123456789abcdef0"
    assert instances["my-cluster_factory_1"]["ami"] == "ami-0fedcba9876543210"
    assert pinned.data_sources(CLUSTER, "aws_ami") == {}


# --- s3fs mount ------------------------------------------------------------------------------------------


def test_every_instance_mounts_the_bucket_with_its_role(default_synth, default_config):
    role = default_synth.one(CLUSTER, "aws_iam_role")
    profile = default_synth.one(CLUSTER, "aws_iam_instance_profile")
    bucket = default_config.data_store.bucket_name
    for instance in instances_by_name(default_synth).values():
        assert instance["iam_instance_profile"] == default_synth.ref(CLUSTER, "aws_iam_instance_profile", "name")
        script = instance["user_data"]
        (fstab,) = [line for line in script.splitlines() if line.startswith("fstab_line=")]
        fields = fstab.removeprefix("fstab_line=").strip("'").split()
        assert fields[:3] == [bucket, "/s3-mount", "fuse.s3fs"]
        options = fields[3].split(",")
        assert f"iam_role={role['name']}" in options
        assert {"ro", "use_cache=/var/cache/s3fs", "url=https://s3.eu-west-1.amazonaws.com", "_netdev"} <= set(options)
        assert "apt-get install -y -q s3fs" in script
        assert ">> /etc/fstab" in script, "persisted across reboots"
        assert "aws_access_key_id" not in script.lower() and "passwd" not in script
    assert profile["name"] == role["name"]


def test_read_only_mount_gets_a_read_only_role(default_synth):
    policy = default_synth.policy(CLUSTER, "aws_iam_role_policy")
    actions = {action for statement in policy["Statement"] for action in statement["Action"]}
    assert actions == {"s3:ListBucket", "s3:GetBucketLocation", "s3:GetObject"}
    assert policy["Statement"][0]["Resource"].endswith(":s3:::my-valohai-bucket")
    assert policy["Statement"][1]["Resource"].endswith(":s3:::my-valohai-bucket/*")


def test_read_write_mount(synth_config):
    synth = synth_config(variant(s3_mount={"read_only": False, "path": "/data", "cache_dir": None}))
    policy = synth.policy(CLUSTER, "aws_iam_role_policy")
    assert "s3:PutObject" in policy["Statement"][1]["Action"]
    script = next(iter(synth.resources(CLUSTER, "aws_instance").values()))["user_data"]
    (fstab,) = [line for line in script.splitlines() if line.startswith("fstab_line=")]
    assert " /data fuse.s3fs " in fstab and ",ro" not in fstab and "use_cache" not in fstab


def test_no_mount_means_no_bucket_access(synth_config):
    synth = synth_config(variant(s3_mount={"enabled": False}, setup_cmds=["echo ready > /tmp/ready"]))
    assert synth.resources(CLUSTER, "aws_iam_role_policy") == {}
    script = next(iter(synth.resources(CLUSTER, "aws_instance").values()))["user_data"]
    assert "s3fs" not in script and "echo ready > /tmp/ready" in script
    assert "s3_mount_path" not in synth.stack(CLUSTER)["output"]


# --- outputs ---------------------------------------------------------------------------------------------


def test_outputs_give_ips_ids_and_ssh_command_lines(default_synth, default_config):
    outputs = default_synth.stack(CLUSTER)["output"]
    orchestrator_ref = next(
        logical
        for logical, body in default_synth.resources(CLUSTER, "aws_instance").items()
        if body["tags"]["Role"] == "Orchestrator"
    )
    ip = f"${{aws_instance.{orchestrator_ref}.public_ip}}"
    assert outputs["orchestrator_public_ip"]["value"] == ip
    assert outputs["orchestrator_ssh"]["value"] == f"ssh -i {default_config.cluster.key} ubuntu@{ip}"
    assert len(outputs["factory_public_ips"]["value"]) == 2
    assert len(outputs["factory_ssh"]["value"]) == 2
    assert len(outputs["factory_instance_ids"]["value"]) == 2
    assert outputs["s3_mount_path"]["value"] == "/s3-mount"


def test_detailed_monitoring_can_be_turned_off(default_synth, synth_config):
    assert {i["monitoring"] for i in instances_by_name(default_synth).values()} == {True}
    synth = synth_config(variant(detailed_monitoring=False))
    assert {i["monitoring"] for i in instances_by_name(synth).values()} == {False}


def test_left_out_timeouts_are_flambes_factories_stop_after_an_idle_hour_the_orchestrator_never(synth_config):
    synth = synth_config(BASE)  # no orchestrator_timeout or factories_timeout
    alarms = alarms_by_instance_name(synth)
    assert sorted(alarms) == ["my-cluster_factory_1", "my-cluster_factory_2"]
    assert {(a["period"], a["evaluation_periods"]) for a in alarms.values()} == {(300, 12)}
