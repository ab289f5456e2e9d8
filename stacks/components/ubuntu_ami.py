"""The Ubuntu image seed 001 asks for: 20.04 LTS (focal) from Canonical's own account."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.data_aws_ami import DataAwsAmi, DataAwsAmiFilter
from constructs import Construct

CANONICAL_OWNER_ID = "099720109477"
FOCAL_NAME_PATTERN = "ubuntu/images/hvm-ssd/ubuntu-focal-20.04-amd64-server-*"


def ubuntu_focal_ami(scope: Construct, id: str) -> DataAwsAmi:
    """The newest Canonical-published Ubuntu 20.04 amd64 HVM image in the region."""
    return DataAwsAmi(
        scope,
        id,
        most_recent=True,
        owners=[CANONICAL_OWNER_ID],
        filter=[
            DataAwsAmiFilter(name="name", values=[FOCAL_NAME_PATTERN]),
            DataAwsAmiFilter(name="virtualization-type", values=["hvm"]),
            DataAwsAmiFilter(name="architecture", values=["x86_64"]),
        ],
    )
