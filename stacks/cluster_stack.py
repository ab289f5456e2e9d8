"""The training-cluster stack (seed 004, flambé's AWSCluster): one orchestrator and N factories that stop
themselves when idle, each mounting the data bucket with s3fs (seed 002)."""

from __future__ import annotations

from constructs import Construct

from stacks import inputs
from stacks.base import StackyardStack
from stacks.components.cluster_instance_role import ClusterInstanceRole, ClusterInstanceRoleProps
from stacks.components.cluster_node import ClusterNode, ClusterNodeProps
from stacks.components.cluster_security_group import ClusterSecurityGroup, ClusterSecurityGroupProps
from stacks.components.network import ExistingNetwork, Network
from stacks.components.s3fs_mount import FirstBootScript, S3fsMount
from stacks.components.ubuntu_ami import ubuntu_ami
from stacks.engine.aws.data_aws_partition import DataAwsPartition
from stacks.engine.aws.data_aws_subnet import DataAwsSubnet
from stacks.engine.cdk import Token
from stackyard.config.adoption import StackAdoption
from stackyard.config.model import StackyardConfig


class ClusterStack(StackyardStack):
    """Instances named from the cluster name, so deploying the same config again changes nothing (flambé reuses
    a cluster by name)."""

    def __init__(
        self,
        scope: Construct,
        name: str,
        config: StackyardConfig,
        network: Network | ExistingNetwork | None = None,
        adoption: StackAdoption | None = None,
    ):
        super().__init__(scope, name, config, adoption)
        cluster = config.cluster
        value = self.inputs.value
        partition = DataAwsPartition(self, "partition").partition
        cluster_name = value("cluster_name", cluster.name, "flambé cluster name", inputs.CLUSTER_NAME)

        if self.bundle_mode:
            subnet_id, vpc_id = self._network_inputs(network)
        elif cluster.subnet_id is not None:
            subnet_id = cluster.subnet_id
            vpc_id = DataAwsSubnet(self, "subnet", id=subnet_id).vpc_id
        else:
            assert network is not None, "config validation guarantees a network when no subnet_id is given"
            subnet_id, vpc_id = network.subnet_ids[0], network.vpc_id

        security_group_id = (
            value("security_group_id", cluster.security_group, "Security group of the cluster", inputs.SECURITY_GROUP)
            if cluster.security_group
            else None
        ) or (
            ClusterSecurityGroup(
                self,
                "security_group",
                ClusterSecurityGroupProps(
                    name=f"{cluster_name}-cluster",
                    vpc_id=vpc_id,
                    access_cidrs=value(
                        "access_cidrs", list(cluster.access_cidrs), "Who may reach the cluster's ports", inputs.CIDR
                    ),
                ),
            ).group.id
        )

        mounts_bucket = cluster.s3_mount.enabled and config.data_store.enabled
        role_name = f"{cluster_name}-cluster-instance"
        bucket_name = (
            value("bucket_name", config.data_store.bucket_name, "The data bucket to mount", inputs.BUCKET_NAME)
            if mounts_bucket
            else None
        )
        instance_role = ClusterInstanceRole(
            self,
            "instance_role",
            ClusterInstanceRoleProps(
                role_name=role_name,
                bucket_arn=f"arn:{partition}:s3:::{bucket_name}" if mounts_bucket else None,
                writable=not cluster.s3_mount.read_only,
            ),
        )
        mount = None
        if mounts_bucket:
            mount = S3fsMount(
                bucket=bucket_name,
                region=self.region,
                role_name=role_name,
                mount_path=cluster.s3_mount.path,
                read_only=cluster.s3_mount.read_only,
                cache_dir=cluster.s3_mount.cache_dir,
                endpoint_url=config.aws.endpoint_url,
                partition_region=config.aws.region,
            )
        user_data = FirstBootScript(mount=mount, setup_commands=cluster.setup_cmds).render()

        looked_up_image = None
        if cluster.needs_image_lookup():
            looked_up_image = ubuntu_ami(self, "ubuntu", cluster.ubuntu_release).id

        roles = ("orchestrator", "factory") if cluster.factories_num else ("orchestrator",)
        images = {
            role: value(f"{role}_ami_id", image, f"Image of the {role}", inputs.AMI_ID) if image else looked_up_image
            for role, image in ((role, cluster.image_for(role)) for role in roles)
        }
        creator = value("creator", cluster.creator, "flambé's creator tag (the cluster's owner)")
        key_name = value("key_name", cluster.key_name, "EC2 key pair of every instance") if cluster.key_name else None
        volume_size = value("volume_size", cluster.volume_size, "Root disk of every instance, GB", inputs.SIZE_GB)

        def node(id: str, node_name: str, role: str, instance_type: str, timeout: int) -> ClusterNode:
            return ClusterNode(
                self,
                id,
                ClusterNodeProps(
                    name=node_name,
                    role=role,
                    cluster_name=cluster_name,
                    creator=creator,
                    ami=images[role],
                    instance_type=instance_type,
                    subnet_id=subnet_id,
                    security_group_id=security_group_id,
                    key_name=key_name,
                    instance_profile=instance_role.instance_profile.name,
                    volume_size=volume_size,
                    volume_type=cluster.volume_type,
                    user_data=user_data,
                    timeout_hours=timeout,
                    shutdown_action_arn=f"arn:{partition}:automate:{self.region}:ec2:{cluster.shutdown_action}",
                    extra_tags=dict(cluster.tags),
                    dedicated=cluster.dedicated,
                    detailed_monitoring=cluster.detailed_monitoring,
                ),
            )

        orchestrator = node(
            "orchestrator",
            f"{cluster_name}_orchestrator",
            "orchestrator",
            value("orchestrator_type", cluster.orchestrator_type, "Orchestrator instance type", inputs.INSTANCE_TYPE),
            cluster.orchestrator_timeout,
        )
        factories_type = (
            value("factories_type", cluster.factories_type, "Factory instance type", inputs.INSTANCE_TYPE)
            if cluster.factories_num
            else cluster.factories_type
        )
        factories = [
            node(
                f"factory_{number}",
                f"{cluster_name}_factory_{number}",
                "factory",
                factories_type,
                cluster.factories_timeout,
            )
            for number in range(1, cluster.factories_num + 1)
        ]

        self.adopt(orchestrator.instance, "orchestrator")
        for number, factory in enumerate(factories, start=1):
            self.adopt(factory.instance, f"factory-{number}")
        ssh = f"ssh -i {cluster.key} {cluster.username}@"
        self.output("cluster_name", cluster_name, "flambé cluster name (its Cluster-Name tag)")
        self.output("orchestrator_instance_id", orchestrator.instance.id, "Orchestrator instance ID")
        self.output("orchestrator_public_ip", orchestrator.instance.public_ip, "Orchestrator public IP")
        self.output("orchestrator_private_ip", orchestrator.instance.private_ip, "Orchestrator private IP")
        self.output("orchestrator_ssh", f"{ssh}{orchestrator.instance.public_ip}", "SSH to the orchestrator")
        self.output("factory_instance_ids", [f.instance.id for f in factories], "Factory instance IDs, in order")
        self.output("factory_public_ips", [f.instance.public_ip for f in factories], "Factory public IPs")
        self.output("factory_private_ips", [f.instance.private_ip for f in factories], "Factory private IPs")
        self.output("factory_ssh", [f"{ssh}{f.instance.public_ip}" for f in factories], "SSH to each factory")
        if mount is not None:
            self.output("s3_mount_path", mount.mount_path, "Where the data bucket is mounted on every instance")

    def _network_inputs(self, network: Network | ExistingNetwork | None) -> tuple[str, str]:
        """Bundle mode: the subnet as a named input, the VPC read from it (one input cannot contradict the other).
        When the workers stack makes the network, the default finds its first subnet by the seed's Name tag, so
        the cluster needs no access to the workers stack's state; a subnet id given in a .tfvars wins."""
        cluster = self.config.cluster
        existing = self.config.network.existing if isinstance(network, ExistingNetwork) else None
        given = cluster.subnet_id or (existing.subnet_ids[0] if existing else None)
        if given is not None:
            subnet_id = self.inputs.value("subnet_id", given, "Subnet of the cluster's instances", inputs.SUBNET_ID)
            return subnet_id, DataAwsSubnet(self, "subnet", id=subnet_id).vpc_id
        subnet_id = self.inputs.value(
            "subnet_id",
            "",
            "Subnet of the cluster's instances; empty: the subnet named subnet_name",
            inputs.SUBNET_ID_OR_EMPTY,
        )
        self.inputs.value(  # read by the lookup below
            "subnet_name",
            f"{self.config.network.name_prefix}-subnet-1",
            "Name tag of the subnet used when subnet_id is empty (the workers stack's first subnet)",
        )
        by_name = 'var.subnet_id == ""'
        subnet = DataAwsSubnet(
            self,
            "subnet",
            id=f"${{{by_name} ? null : var.subnet_id}}",
            tags=Token.as_string_map(Token.as_any(f"${{{by_name} ? {{ Name = var.subnet_name }} : {{}}}}")),
        )
        return subnet.id, subnet.vpc_id
