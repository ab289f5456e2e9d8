"""The instance role of the training cluster: just enough to mount the data bucket with s3fs."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from stacks import policies
from stacks.components.ec2_instance_role import Ec2InstanceRole
from stacks.engine.aws.iam_role_policy import IamRolePolicy


@dataclass(frozen=True)
class ClusterInstanceRoleProps:
    role_name: str
    """Role and instance profile name."""
    bucket_arn: str | None = None
    """Bucket the instances mount; None: the role gets no S3 access at all."""
    writable: bool = False
    """Allow writing objects too (a read-write mount)."""


class ClusterInstanceRole(Construct):
    """EC2-trusted role + instance profile, with read (or read-write) access to one bucket."""

    def __init__(self, scope: Construct, id: str, props: ClusterInstanceRoleProps):
        super().__init__(scope, id)
        instance_role = Ec2InstanceRole(
            self,
            "instance_role",
            role_name=props.role_name,
            description="Training-cluster instances: s3fs mount of the data store",
        )
        self.role, self.instance_profile = instance_role.role, instance_role.instance_profile
        if props.bucket_arn is not None:
            IamRolePolicy(
                self,
                "bucket_access",
                name="DataStoreMount",
                role=self.role.id,
                policy=policies.bucket_mount_policy(props.bucket_arn, props.writable),
            )
