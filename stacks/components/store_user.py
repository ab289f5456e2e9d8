"""The IAM user whose access key the ML platform uses for the data store (seed 000)."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from stacks import policies
from stacks.engine.aws.iam_access_key import IamAccessKey
from stacks.engine.aws.iam_user import IamUser
from stacks.engine.aws.iam_user_policy import IamUserPolicy


@dataclass(frozen=True)
class StoreUserProps:
    user_name: str
    """IAM user name."""
    bucket_arn: str
    """ARN (or Terraform reference) of the bucket the user gets s3:* on."""
    create_access_key: bool = True
    """Create programmatic credentials for the user."""
    pgp_key: str | None = None
    """Encrypt the secret with this PGP key (base64 or keybase:name) instead of storing it in state."""


class StoreUser(Construct):
    """IAM user + inline policy (seed 000's JSON: s3:* on the bucket and its objects) + optional access key."""

    def __init__(self, scope: Construct, id: str, props: StoreUserProps):
        super().__init__(scope, id)
        self.user = IamUser(self, "user", name=props.user_name)
        self.policy = IamUserPolicy(
            self,
            "bucket_access",
            name=f"{props.user_name}-bucket-access",
            user=self.user.name,
            policy=policies.store_user_policy(props.bucket_arn),
        )
        self.access_key: IamAccessKey | None = None
        if props.create_access_key:
            self.access_key = IamAccessKey(self, "access_key", user=self.user.name, pgp_key=props.pgp_key)
