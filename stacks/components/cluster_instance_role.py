"""The instance role of the training cluster: just enough to mount the data bucket with s3fs."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf_cdktf_provider_aws.iam_instance_profile import IamInstanceProfile
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from constructs import Construct

from stacks import policies


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
        self.role = IamRole(
            self,
            "role",
            name=props.role_name,
            description="Training-cluster instances: s3fs mount of the data store",
            assume_role_policy=policies.trust_aws_service("ec2.amazonaws.com"),
        )
        if props.bucket_arn is not None:
            IamRolePolicy(
                self,
                "bucket_access",
                name="DataStoreMount",
                role=self.role.id,
                policy=policies.bucket_mount_policy(props.bucket_arn, props.writable),
            )
        self.instance_profile = IamInstanceProfile(self, "instance_profile", name=props.role_name, role=self.role.name)
