"""One instance of the training cluster, tagged the way flambé finds its own, with its idle-shutdown alarm."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from stacks.components.idle_shutdown_alarm import IdleShutdownAlarm, IdleShutdownAlarmProps
from stacks.engine.aws.instance import Instance, InstanceMetadataOptions, InstanceRootBlockDevice

FLAMBE_ROLES = {"orchestrator": "Orchestrator", "factory": "Factory"}


PROVISIONED_IOPS = 5000


@dataclass(frozen=True)
class ClusterNodeProps:
    name: str
    """Name tag: <cluster>_orchestrator or <cluster>_factory_<i> (flambé's names)."""
    role: str
    """orchestrator or factory."""
    cluster_name: str
    """flambé's Cluster-Name tag."""
    creator: str
    """flambé's creator tag."""
    ami: str
    """Image id (or a data-source reference)."""
    instance_type: str
    """EC2 instance type."""
    subnet_id: str
    """Subnet of the instance."""
    security_group_id: str
    """Security group of the cluster."""
    key_name: str
    """EC2 key pair for SSH."""
    instance_profile: str
    """Instance profile name."""
    volume_size: int
    """Root disk GB."""
    volume_type: str
    """Root disk type."""
    user_data: str
    """First-boot script."""
    timeout_hours: int
    """Idle hours before the shutdown action; -1: no alarm."""
    shutdown_action_arn: str
    """arn:...:automate:<region>:ec2:stop|terminate."""
    extra_tags: dict[str, str]
    """User tags."""
    dedicated: bool = False
    """Dedicated tenancy."""
    detailed_monitoring: bool = True
    """1-minute CloudWatch metrics."""


class ClusterNode(Construct):
    """An encrypted, IMDSv2-only, EBS-optimized instance with a public IP, and its alarm when it has a timeout."""

    def __init__(self, scope: Construct, id: str, props: ClusterNodeProps):
        super().__init__(scope, id)
        tags = {
            **props.extra_tags,
            "creator": props.creator,
            "Purpose": "flambe",
            "Cluster-Name": props.cluster_name,
            "Role": FLAMBE_ROLES[props.role],
            "Name": props.name,
        }
        self.instance = Instance(
            self,
            "instance",
            ami=props.ami,
            instance_type=props.instance_type,
            subnet_id=props.subnet_id,
            vpc_security_group_ids=[props.security_group_id],
            associate_public_ip_address=True,  # flambé reaches every host over SSH from outside
            key_name=props.key_name,
            iam_instance_profile=props.instance_profile,
            ebs_optimized=True,
            monitoring=props.detailed_monitoring,
            tenancy="dedicated" if props.dedicated else None,
            root_block_device=InstanceRootBlockDevice(
                volume_size=props.volume_size,
                volume_type=props.volume_type,
                # Provisioned-IOPS volumes cannot be created without a rate; 5000 is what flambé provisions.
                iops=PROVISIONED_IOPS if props.volume_type in ("io1", "io2") else None,
                encrypted=True,
                delete_on_termination=True,
            ),
            metadata_options=InstanceMetadataOptions(
                http_endpoint="enabled", http_tokens="required", http_put_response_hop_limit=1
            ),
            user_data=props.user_data,
            tags=tags,
            # A newer image release must not replace a cluster in the middle of an experiment.
            lifecycle={"ignore_changes": ["ami"]},
        )
        self.alarm: IdleShutdownAlarm | None = None
        if props.timeout_hours >= 0:
            self.alarm = IdleShutdownAlarm(
                self,
                "idle_shutdown",
                IdleShutdownAlarmProps(
                    alarm_name=f"{props.name}_idle_shutdown",
                    instance_id=self.instance.id,
                    role=props.role,
                    timeout_hours=props.timeout_hours,
                    action_arn=props.shutdown_action_arn,
                ),
            )
