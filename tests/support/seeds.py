"""The seed documents' JSON blocks, and a reader that extracts them from the seed files themselves.

The transcriptions below are the specification the stacks are tested against; tests/test_seed_documents.py
checks them against ../shared/seeds/ wherever that folder is present (it is beside the clone in CI).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"

# Seed 000 ("Add AWS S3"), in document order.
STORE_CORS = [
    {
        "AllowedHeaders": ["Authorization"],
        "AllowedMethods": ["GET"],
        "AllowedOrigins": ["*"],
        "ExposeHeaders": [],
        "MaxAgeSeconds": 3000,
    },
    {
        "AllowedHeaders": ["Authorization"],
        "AllowedMethods": ["POST"],
        "AllowedOrigins": ["https://app.valohai.com"],
        "ExposeHeaders": [],
        "MaxAgeSeconds": 3000,
    },
]
STORE_USER_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::my-valohai-bucket", "arn:aws:s3:::my-valohai-bucket/*"],
        }
    ],
}
MULTIPART_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "MultipartAccess",
            "Effect": "Allow",
            "Action": [
                "s3:AbortMultipartUpload",
                "s3:GetBucketLocation",
                "s3:GetObject",
                "s3:ListBucket",
                "s3:ListBucketMultipartUploads",
                "s3:ListBucketVersions",
                "s3:ListMultipartUploadParts",
                "s3:PutObject",
            ],
            "Resource": ["arn:aws:s3:::BUCKET", "arn:aws:s3:::BUCKET/*"],
        }
    ],
}
MULTIPART_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::ACCOUNTNUMBER:user/USERNAME"},
            "Action": "sts:AssumeRole",
        }
    ],
}
SEED_000_JSON_BLOCKS = [STORE_CORS, STORE_USER_POLICY, MULTIPART_POLICY, MULTIPART_TRUST]


def json_blocks(seed_file: Path) -> list[Any]:
    """Every `.. code-block:: json` in an RST seed, parsed."""
    blocks: list[Any] = []
    lines = seed_file.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if re.match(r"^\s*\.\. code-block:: json\s*$", line):
            body: list[str] = []
            for following in lines[index + 1 :]:
                if following.strip() and not following.startswith((" ", "\t")):
                    break
                body.append(following)
            blocks.append(json.loads("\n".join(body)))
    return blocks


def seed_file(prefix: str) -> Path | None:
    matches = sorted(SEEDS_DIR.glob(f"{prefix}_*.txt")) if SEEDS_DIR.is_dir() else []
    return matches[0] if matches else None


def substitute(document: Any, replacements: dict[str, str]) -> Any:
    """The document with placeholder substrings (e.g. the seed's bucket ARN) replaced in every string."""
    text = json.dumps(document)
    for old, new in replacements.items():
        text = text.replace(old, new)
    return json.loads(text)


# Seed 001 ("Preparing your AWS for Valohai Hybrid Implementation"), in document order.
WORKER_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "1", "Effect": "Allow", "Action": "autoscaling:SetInstanceProtection", "Resource": "*"},
        {"Sid": "2", "Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"},
    ],
}
WORKER_ROLE_PLACEHOLDER = "RECORDED ValohaiWorkerRole ARN HERE"
MASTER_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "2",
            "Effect": "Allow",
            "Action": [
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
            ],
            "Resource": "*",
        },
        {
            "Sid": "AllowUpdatingSpotLaunchTemplates",
            "Effect": "Allow",
            "Action": [
                "ec2:CreateLaunchTemplate",
                "ec2:CreateLaunchTemplateVersion",
                "ec2:ModifyLaunchTemplate",
                "ec2:RunInstances",
                "autoscaling:UpdateAutoScalingGroup",
                "autoscaling:CreateOrUpdateTags",
                "autoscaling:SetDesiredCapacity",
                "autoscaling:CreateAutoScalingGroup",
            ],
            "Resource": "*",
            "Condition": {"ForAllValues:StringEquals": {"aws:ResourceTag/Valohai": "1"}},
        },
        {
            "Sid": "ServiceLinkedRole",
            "Effect": "Allow",
            "Action": "iam:CreateServiceLinkedRole",
            "Resource": "arn:aws:iam::*:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
        },
        {"Sid": "4", "Effect": "Allow", "Action": ["iam:PassRole", "iam:GetRole"], "Resource": WORKER_ROLE_PLACEHOLDER},
    ],
}
ASSUME_ROLE_PLACEHOLDER = "RECORDED AssumeRole ARN HERE"
MASTER_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": ASSUME_ROLE_PLACEHOLDER},
            "Action": "sts:AssumeRole",
            "Condition": {},
        }
    ],
}
SEED_001_JSON_BLOCKS = [WORKER_POLICY, MASTER_POLICY, MASTER_TRUST]

# Seed 001's network and firewall tables.
SUBNET_CIDRS = ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20"]
SUBNET_NAMES = ["valohai-subnet-1", "valohai-subnet-2", "valohai-subnet-3", "valohai-subnet-4"]
APP_IP = "34.248.245.191/32"
VALOHAI_SSH_IP = "3.251.38.215/32"


# Seed 004 (flambé AWSCluster): the aws-cluster.yaml template, verbatim.
FLAMBE_TEMPLATE = """\
!AWSCluster

name: my-cluster

factories_num: 2

# Type of machines.
factories_type: t3.small
orchestrator_type: t3.small

# Set timeouts for autmatic shutdown
orchestrator_timeout: -1
factories_timeout: -1

creator: user@company.com  # Pick whatever you want here

# Name of my key pair
key_name: my-pair

# Specify you pem location
key: /path/to/my-pair.pem

# You can add additional tags. This is OPTIONAL.
tags:
    project: my-project
    company: my-company

# Specify the Subnet ID
subnet_id: subnet-XXXXXXXXXXXXXXX

# The amount of GB for each instance.
volume_size: 100

# Specify the SG ID
security_group: sg-XXXXXXXXXXXXXXX
"""
FLAMBE_PORTS = {"tensorboard": 49556, "report_site": 49558}


def yaml_blocks(seed_file: Path) -> list[str]:
    """Every `.. code-block:: yaml` in an RST seed, dedented, options (:caption: ...) left out."""
    blocks: list[str] = []
    lines = seed_file.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if re.match(r"^\s*\.\. code-block:: yaml\s*$", line):
            indent = len(line) - len(line.lstrip()) + 4
            body: list[str] = []
            for following in lines[index + 1 :]:
                if following.strip() and len(following) - len(following.lstrip()) < indent:
                    break
                if not following.strip().startswith(":caption:"):
                    body.append(following[indent:].rstrip())
            blocks.append("\n".join(body).strip("\n") + "\n")
    return blocks
