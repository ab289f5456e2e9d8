"""Read-only look-ups several finders share: does a bucket exist, an IAM role or customer policy by name."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

NOT_FOUND = ("404", "NoSuchBucket", "NotFound", "NoSuchEntity")


def _absent(error: ClientError) -> bool:
    return error.response["Error"].get("Code") in NOT_FOUND


def bucket_exists(s3: Any, name: str) -> bool:
    try:
        s3.head_bucket(Bucket=name)
    except ClientError as error:
        if _absent(error):
            return False
        raise
    return True


def role(iam: Any, name: str) -> dict[str, Any] | None:
    try:
        return iam.get_role(RoleName=name)["Role"]
    except ClientError as error:
        if _absent(error):
            return None
        raise


def user(iam: Any, name: str) -> dict[str, Any] | None:
    try:
        return iam.get_user(UserName=name)["User"]
    except ClientError as error:
        if _absent(error):
            return None
        raise


def customer_policies(iam: Any, name: str) -> list[dict[str, Any]]:
    """This account's managed policies of that name (one per path, so there can be several)."""
    pages = iam.get_paginator("list_policies").paginate(Scope="Local")
    return [policy for page in pages for policy in page["Policies"] if policy["PolicyName"] == name]


def attached_policies(iam: Any, role_name: str) -> dict[str, str]:
    """Name -> ARN of the managed policies attached to the role."""
    attached = iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]
    return {policy["PolicyName"]: policy["PolicyArn"] for policy in attached}
