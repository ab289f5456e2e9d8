"""The optional role for uploads over 5 GB, dispensed temporarily to workers (seed 000, "Large file uploads")."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from stacks import policies
from stacks.engine.aws.iam_role import IamRole
from stacks.engine.aws.iam_role_policy import IamRolePolicy


@dataclass(frozen=True)
class MultipartUploadRoleProps:
    role_name: str
    """IAM role name."""
    bucket_arn: str
    """Bucket the role may run multipart uploads in."""
    trusted_user_arn: str
    """The store user, the only principal allowed to assume the role (seed 000's trust policy)."""


class MultipartUploadRole(Construct):
    """IAM role with seed 000's 8 multipart actions on the bucket, assumable only by the store user."""

    def __init__(self, scope: Construct, id: str, props: MultipartUploadRoleProps):
        super().__init__(scope, id)
        self.role = IamRole(
            self,
            "role",
            name=props.role_name,
            description="Temporary credentials for multipart uploads to the ML data store",
            assume_role_policy=policies.trust_aws_principal(props.trusted_user_arn),
        )
        self.policy = IamRolePolicy(
            self,
            "multipart_access",
            name="MultipartAccess",
            role=self.role.id,
            policy=policies.multipart_upload_policy(props.bucket_arn),
        )
