"""Seed 001's worker-queue instance, valohai-i-queue, with its key pair and Elastic IP valohai-ip-queue."""

from __future__ import annotations

from dataclasses import dataclass, field

from constructs import Construct

from stacks.components.ubuntu_ami import ubuntu_ami
from stacks.engine.aws.eip import Eip
from stacks.engine.aws.eip_association import EipAssociation
from stacks.engine.aws.instance import Instance, InstanceMetadataOptions, InstanceRootBlockDevice
from stacks.engine.aws.key_pair import KeyPair
from stacks.engine.cdk import ITerraformDependable


@dataclass(frozen=True)
class QueueInstanceProps:
    subnet_id: str
    """Subnet of the instance."""
    security_group_ids: list[str]
    """Security groups (the queue's)."""
    key_name: str
    """EC2 key pair name."""
    public_key: str | None = None
    """Create the key pair from this OpenSSH public key; None: it already exists."""
    instance_type: str = "t3.medium"
    """Seed 001: 2 vCPU, 4 GB."""
    ami_id: str | None = None
    """Pinned AMI; None: latest Ubuntu 20.04 from Canonical."""
    disk_size_gb: int = 16
    """Root disk size, gp3 and encrypted."""
    detailed_monitoring: bool = True
    """1-minute CloudWatch metrics."""
    name: str = "valohai-i-queue"
    """Name tag of the instance."""
    elastic_ip_name: str = "valohai-ip-queue"
    """Name tag of the Elastic IP."""
    instance_profile_name: str | None = None
    """Instance profile (the customer-installed queue's role); None: the instance calls no AWS API."""
    user_data: str | None = None
    """First-boot script (the customer-installed queue sets itself up)."""
    depends_on: list[ITerraformDependable] = field(default_factory=list)
    """E.g. the internet gateway: an Elastic IP cannot be associated before the VPC has one."""
    user_data_needs: list[ITerraformDependable] = field(default_factory=list)
    """What the first-boot script uses but does not reference (the password secret, read by name)."""


class QueueInstance(Construct):
    """t3.medium Ubuntu instance with an encrypted gp3 root disk and IMDSv2 required, reachable at an Elastic IP."""

    def __init__(self, scope: Construct, id: str, props: QueueInstanceProps):
        super().__init__(scope, id)
        self.key_name = props.key_name
        self.key_pair: KeyPair | None = None
        if props.public_key:
            self.key_pair = KeyPair(self, "key_pair", key_name=props.key_name, public_key=props.public_key)
            self.key_name = self.key_pair.key_name
        ami_id = props.ami_id or ubuntu_ami(self, "ubuntu", "20.04").id
        ignored = _ignored(props)
        self.instance = Instance(
            self,
            "instance",
            ami=ami_id,
            instance_type=props.instance_type,
            subnet_id=props.subnet_id,
            vpc_security_group_ids=props.security_group_ids,
            key_name=self.key_name,
            iam_instance_profile=props.instance_profile_name,
            user_data=props.user_data,
            # The script runs at first boot only: a changed one (or none, or one where there was none) is applied
            # by a new instance, which the queue's protection refuses unless allowed, rather than ignored.
            user_data_replace_on_change=True,
            ebs_optimized=True,
            monitoring=props.detailed_monitoring,
            root_block_device=InstanceRootBlockDevice(
                volume_size=props.disk_size_gb, volume_type="gp3", encrypted=True, delete_on_termination=True
            ),
            # IMDSv2 only: a token is needed to read the instance's credentials, which blocks SSRF-style theft.
            metadata_options=InstanceMetadataOptions(
                http_endpoint="enabled", http_tokens="required", http_put_response_hop_limit=1
            ),
            tags={"Name": props.name},
            lifecycle={"ignore_changes": ignored} if ignored else None,
            depends_on=props.user_data_needs or None,
        )
        self.elastic_ip = Eip(
            self, "elastic_ip", domain="vpc", tags={"Name": props.elastic_ip_name}, depends_on=props.depends_on or None
        )
        self.elastic_ip_association = EipAssociation(
            self, "elastic_ip_association", instance_id=self.instance.id, allocation_id=self.elastic_ip.id
        )


def _ignored(props: QueueInstanceProps) -> list[str]:
    # A looked-up AMI moves with every Ubuntu release; that must not replace a running queue.
    return ["ami"] if props.ami_id is None else []
