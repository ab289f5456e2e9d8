"""Canonical's Ubuntu LTS images, looked up in the region (seed 001 asks for 20.04 for the queue)."""

from __future__ import annotations

from constructs import Construct

from stacks.engine.aws.data_aws_ami import DataAwsAmi, DataAwsAmiFilter
from stackyard.config.aws_names import CANONICAL_OWNER_ID

# Canonical's name patterns per release; from 24.04 on the images are published under hvm-ssd-gp3.
NAME_PATTERNS = {
    "20.04": "ubuntu/images/hvm-ssd/ubuntu-focal-20.04-amd64-server-*",
    "22.04": "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*",
    "24.04": "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*",
}


def ubuntu_ami(scope: Construct, id: str, release: str = "20.04") -> DataAwsAmi:
    """The newest Canonical-published Ubuntu ``release`` amd64 HVM image in the region."""
    return DataAwsAmi(
        scope,
        id,
        most_recent=True,
        owners=[CANONICAL_OWNER_ID],
        filter=[
            DataAwsAmiFilter(name="name", values=[NAME_PATTERNS[release]]),
            DataAwsAmiFilter(name="virtualization-type", values=["hvm"]),
            DataAwsAmiFilter(name="architecture", values=["x86_64"]),
        ],
    )
