"""The training-cluster stack (seed 004, flambé's AWSCluster): one orchestrator and N factories that stop
themselves when idle, each mounting the data bucket with s3fs (seed 002)."""

from __future__ import annotations

from constructs import Construct

from stacks.base import StackyardStack
from stacks.components.cluster_instance_role import ClusterInstanceRole, ClusterInstanceRoleProps
from stacks.components.cluster_node import ClusterNode, ClusterNodeProps
from stacks.components.cluster_security_group import ClusterSecurityGroup, ClusterSecurityGroupProps
from stacks.components.network import ExistingNetwork, Network
from stacks.components.s3fs_mount import FirstBootScript, S3fsMount
from stacks.components.ubuntu_ami import ubuntu_ami
from stacks.engine.aws.data_aws_partition import DataAwsPartition
from stacks.engine.aws.data_aws_subnet import DataAwsSubnet
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
        partition = DataAwsPartition(self, "partition").partition

        if cluster.subnet_id is not None:
            subnet_id = cluster.subnet_id
            vpc_id = DataAwsSubnet(self, "subnet", id=subnet_id).vpc_id
        else:
            assert network is not None, "config validation guarantees a network when no subnet_id is given"
            subnet_id, vpc_id = network.subnet_ids[0], network.vpc_id

        security_group_id = cluster.security_group or (
            ClusterSecurityGroup(
                self,
                "security_group",
                ClusterSecurityGroupProps(
                    name=f"{cluster.name}-cluster", vpc_id=vpc_id, access_cidrs=cluster.access_cidrs
                ),
            ).group.id
        )

        mounts_bucket = cluster.s3_mount.enabled and config.data_store.enabled
        role_name = f"{cluster.name}-cluster-instance"
        instance_role = ClusterInstanceRole(
            self,
            "instance_role",
            ClusterInstanceRoleProps(
                role_name=role_name,
                bucket_arn=f"arn:{partition}:s3:::{config.data_store.bucket_name}" if mounts_bucket else None,
                writable=not cluster.s3_mount.read_only,
            ),
        )
        mount = None
        if mounts_bucket:
            mount = S3fsMount(
                bucket=config.data_store.bucket_name,
                region=config.aws.region,
                role_name=role_name,
                mount_path=cluster.s3_mount.path,
                read_only=cluster.s3_mount.read_only,
                cache_dir=cluster.s3_mount.cache_dir,
                endpoint_url=config.aws.endpoint_url,
            )
        user_data = FirstBootScript(mount=mount, setup_commands=cluster.setup_cmds).render()

        looked_up_image = None
        if cluster.needs_image_lookup():
            looked_up_image = ubuntu_ami(self, "ubuntu", cluster.ubuntu_release).id

        def node(id: str, node_name: str, role: str, instance_type: str, timeout: int) -> ClusterNode:
            return ClusterNode(
                self,
                id,
                ClusterNodeProps(
                    name=node_name,
                    role=role,
                    cluster_name=cluster.name,
                    creator=cluster.creator,
                    ami=cluster.image_for(role) or looked_up_image,
                    instance_type=instance_type,
                    subnet_id=subnet_id,
                    security_group_id=security_group_id,
                    key_name=cluster.key_name,
                    instance_profile=instance_role.instance_profile.name,
                    volume_size=cluster.volume_size,
                    volume_type=cluster.volume_type,
                    user_data=user_data,
                    timeout_hours=timeout,
                    shutdown_action_arn=f"arn:{partition}:automate:{config.aws.region}:ec2:{cluster.shutdown_action}",
                    extra_tags=dict(cluster.tags),
                    dedicated=cluster.dedicated,
                    detailed_monitoring=cluster.detailed_monitoring,
                ),
            )

        orchestrator = node(
            "orchestrator",
            f"{cluster.name}_orchestrator",
            "orchestrator",
            cluster.orchestrator_type,
            cluster.orchestrator_timeout,
        )
        factories = [
            node(
                f"factory_{number}",
                f"{cluster.name}_factory_{number}",
                "factory",
                cluster.factories_type,
                cluster.factories_timeout,
            )
            for number in range(1, cluster.factories_num + 1)
        ]

        self.adopt(orchestrator.instance, "orchestrator")
        for number, factory in enumerate(factories, start=1):
            self.adopt(factory.instance, f"factory-{number}")
        ssh = f"ssh -i {cluster.key} {cluster.username}@"
        self.output("cluster_name", cluster.name, "flambé cluster name (its Cluster-Name tag)")
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
