"""IAM policy documents, as the seeds write them, rendered to JSON strings Terraform accepts.

Resource ARNs are passed in as Terraform references (tokens) so the documents name the real resources;
cdktf resolves a token inside a JSON string to an interpolation such as ``${aws_s3_bucket.x.arn}``.
"""

from __future__ import annotations

import json
from typing import Any

VERSION = "2012-10-17"

# Seed 000, "Large file uploads": the multipart role's 8 actions.
MULTIPART_UPLOAD_ACTIONS = [
    "s3:AbortMultipartUpload",
    "s3:GetBucketLocation",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:ListBucketMultipartUploads",
    "s3:ListBucketVersions",
    "s3:ListMultipartUploadParts",
    "s3:PutObject",
]


def document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": VERSION, "Statement": list(statements)}, indent=2)


def bucket_and_objects(bucket_arn: str) -> list[str]:
    return [bucket_arn, f"{bucket_arn}/*"]


def store_user_policy(bucket_arn: str) -> str:
    """Seed 000: the store user gets full access to the bucket and its objects, nothing else."""
    return document({"Effect": "Allow", "Action": "s3:*", "Resource": bucket_and_objects(bucket_arn)})


def multipart_upload_policy(bucket_arn: str) -> str:
    """Seed 000: what the temporary multipart-upload role may do."""
    return document(
        {
            "Sid": "MultipartAccess",
            "Effect": "Allow",
            "Action": MULTIPART_UPLOAD_ACTIONS,
            "Resource": bucket_and_objects(bucket_arn),
        }
    )


def trust_aws_principal(principal_arn: str, external_id: str | None = None) -> str:
    """A trust policy letting one AWS principal assume the role (seed 000 and seed 001)."""
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": {"AWS": principal_arn}, "Action": "sts:AssumeRole"}
    if external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return document(statement)


def deny_insecure_transport(bucket_arn: str) -> dict[str, Any]:
    """Bucket-policy statement refusing every request not made over TLS."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": bucket_and_objects(bucket_arn),
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


# Seed 001, "ValohaiWorkerPolicy": what a worker instance may do to itself.
def worker_policy() -> str:
    return document(
        {"Sid": "1", "Effect": "Allow", "Action": "autoscaling:SetInstanceProtection", "Resource": "*"},
        {"Sid": "2", "Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"},
    )


# Seed 001, "ValohaiMasterPolicy", statement by statement; only Sid 4's resource placeholder is filled in.
MASTER_DESCRIBE_ACTIONS = [
    "ec2:DescribeInstances",
    "ec2:DescribeVpcs",
    "ec2:DescribeKeyPairs",
    "ec2:DescribeImages",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeLaunchTemplates",
    "ec2:DescribeLaunchTemplateVersions",
    "ec2:CreateTags",
    "autoscaling:DescribeAutoScalingGroups",
    "autoscaling:DescribeScalingActivities",
]
MASTER_SPOT_TEMPLATE_ACTIONS = [
    "ec2:CreateLaunchTemplate",
    "ec2:CreateLaunchTemplateVersion",
    "ec2:ModifyLaunchTemplate",
    "ec2:RunInstances",
    "autoscaling:UpdateAutoScalingGroup",
    "autoscaling:CreateOrUpdateTags",
    "autoscaling:SetDesiredCapacity",
    "autoscaling:CreateAutoScalingGroup",
]
AUTOSCALING_SERVICE_LINKED_ROLE = (
    "arn:aws:iam::*:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
)


def master_policy(worker_role_arn: str) -> str:
    return document(
        {"Sid": "2", "Effect": "Allow", "Action": MASTER_DESCRIBE_ACTIONS, "Resource": "*"},
        {
            "Sid": "AllowUpdatingSpotLaunchTemplates",
            "Effect": "Allow",
            "Action": MASTER_SPOT_TEMPLATE_ACTIONS,
            "Resource": "*",
            "Condition": {"ForAllValues:StringEquals": {"aws:ResourceTag/Valohai": "1"}},
        },
        {
            "Sid": "ServiceLinkedRole",
            "Effect": "Allow",
            "Action": "iam:CreateServiceLinkedRole",
            "Resource": AUTOSCALING_SERVICE_LINKED_ROLE,
        },
        {"Sid": "4", "Effect": "Allow", "Action": ["iam:PassRole", "iam:GetRole"], "Resource": worker_role_arn},
    )


def trust_aws_service(service: str, source_account: str | None = None) -> str:
    """A trust policy for an AWS service, e.g. ec2.amazonaws.com for instance roles. With source_account the
    service may only assume the role on that account's behalf (the confused-deputy guard AWS recommends)."""
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    if source_account:
        statement["Condition"] = {"StringEquals": {"aws:SourceAccount": source_account}}
    return document(statement)


def flow_log_delivery_policy(log_group_arn: str) -> str:
    """What the flow-logs service needs to write into one log group (AWS's documented set, scoped to it)."""
    return document(
        {
            "Sid": "WriteFlowLogRecords",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            "Resource": [log_group_arn, f"{log_group_arn}:*"],
        },
        {
            # DescribeLogGroups cannot be scoped to one group: it lists by prefix within the account.
            "Sid": "FindTheLogGroup",
            "Effect": "Allow",
            "Action": "logs:DescribeLogGroups",
            "Resource": "*",
        },
    )


def allow_s3_access_log_delivery(log_bucket_arn: str, prefix: str, source_bucket_arn: str, account_id: str) -> dict:
    """Bucket-policy statement letting S3's logging service write one bucket's access logs (AWS's documented form)."""
    return {
        "Sid": "S3ServerAccessLogsDelivery",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": f"{log_bucket_arn}/{prefix}*",
        "Condition": {
            "ArnLike": {"aws:SourceArn": source_bucket_arn},
            "StringEquals": {"aws:SourceAccount": account_id},
        },
    }


# What a cluster instance needs for an s3fs mount of the data bucket (seed 002), and no more.
BUCKET_LIST_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation"]
OBJECT_READ_ACTIONS = ["s3:GetObject"]
OBJECT_WRITE_ACTIONS = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]


def bucket_mount_policy(bucket_arn: str, writable: bool) -> str:
    object_actions = OBJECT_READ_ACTIONS + (OBJECT_WRITE_ACTIONS if writable else [])
    return document(
        {"Sid": "ListTheBucket", "Effect": "Allow", "Action": BUCKET_LIST_ACTIONS, "Resource": bucket_arn},
        {"Sid": "ObjectAccess", "Effect": "Allow", "Action": object_actions, "Resource": f"{bucket_arn}/*"},
    )


# The customer-installed queue's Redis password in Secrets Manager.
QUEUE_PASSWORD_ACTIONS = [
    "secretsmanager:DescribeSecret",  # does the secret have a value yet?
    "secretsmanager:GetSecretValue",
    "secretsmanager:PutSecretValue",  # the first value, made on the instance
]
PASSWORD_READ_ACTIONS = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]


def _secret_statements(sid: str, actions: list[str], secret_arn: str, kms: dict[str, Any] | None) -> list[dict]:
    statements: list[dict[str, Any]] = [{"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": secret_arn}]
    if kms is not None:
        statements.append(kms)
    return statements


def secret_kms_statement(kms_key_arn: str, region: str, actions: list[str]) -> dict[str, Any]:
    """KMS rights on the secret's key, only through Secrets Manager (kms:ViaService)."""
    return {
        "Sid": "UseTheSecretsKeyThroughSecretsManager",
        "Effect": "Allow",
        "Action": actions,
        "Resource": kms_key_arn,
        "Condition": {"StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}},
    }


def queue_password_access(secret_arn: str, kms_key_arn: str | None, region: str) -> str:
    """The queue instance's role: read its password, and store the first one; on that one secret only."""
    kms = secret_kms_statement(kms_key_arn, region, ["kms:Decrypt", "kms:GenerateDataKey"]) if kms_key_arn else None
    return document(*_secret_statements("QueuePassword", QUEUE_PASSWORD_ACTIONS, secret_arn, kms))


def queue_password_read(secret_arn: str, kms_key_arn: str | None, region: str) -> str:
    """ValohaiMaster: read the queue's password (Valohai's own Terraform grants it on every valohai=1 secret)."""
    kms = secret_kms_statement(kms_key_arn, region, ["kms:Decrypt"]) if kms_key_arn else None
    return document(*_secret_statements("ReadQueuePassword", PASSWORD_READ_ACTIONS, secret_arn, kms))


def secret_readers_only(reader_arns: list[str]) -> str:
    """The secret's resource policy: whatever IAM policies say, only these principals may read its value."""
    return document(
        {
            "Sid": "OnlyTheQueueAndThePlatformRead",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:PrincipalArn": reader_arns}},
        }
    )
