"""`stackyard config example --endpoint-url URL`: the example config made deployable into an emulator (moto,
LocalStack) on this machine: what a first try needs and nothing more."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from typing import Any

import boto3
import yaml
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from stackyard.config import ConfigError, default_config_text, validate_config_data
from stackyard.config.aws_names import CANONICAL_OWNER_ID

EMULATOR_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class EmulatorError(Exception):
    """The emulator cannot be asked; the message says why and what to do, in one line."""


def emulator_config(endpoint_url: str) -> tuple[dict[str, Any], list[str]]:
    """(the example config pointed at the emulator, one line per change and why)."""
    config = yaml.safe_load(default_config_text())
    config["aws"]["endpoint_url"] = endpoint_url
    try:
        validate_config_data(config, "--endpoint-url")
    except ConfigError as error:
        raise EmulatorError(f"--endpoint-url {endpoint_url!r}: {error.problems[0]}") from None
    image = first_image(endpoint_url, config["aws"]["region"])
    changes = [
        f"aws.endpoint_url: {endpoint_url}",
        f"queue.ami_id, cluster.ami_id: {image}, the emulator's newest Canonical Ubuntu (older than the "
        "ubuntu_release the stacks look up)",
        "queue/cluster detailed_monitoring: false (emulators do not implement MonitorInstances)",
    ]
    config["queue"] |= {"ami_id": image, "detailed_monitoring": False}
    config["cluster"] |= {"ami_id": image, "detailed_monitoring": False}
    if is_moto(endpoint_url):
        config["data_store"]["tls_only"] = False
        changes.append(
            "data_store.tls_only: false (moto applies the policy's Deny without evaluating aws:SecureTransport, "
            "so it would refuse every request)"
        )
    return config, changes


# Canonical's Ubuntu for x86_64, as the stacks look it up; an emulator has older releases than the config's
# ubuntu_release (moto and LocalStack: 14.04 and 16.04), so the example pins one. Asking for these alone also keeps
# the answer small: moto lists ~1,300 Amazon images, ~2 s to send and to parse.
UBUNTU_IMAGES = [
    {"Name": "name", "Values": ["ubuntu/images/hvm-ssd*/ubuntu-*-amd64-server-*"]},
    {"Name": "architecture", "Values": ["x86_64"]},
]


def ubuntu_images(ec2: Any) -> list[str]:
    """The ids of Canonical's x86_64 Ubuntu images ``ec2`` lists, the newest first (by date, then by name)."""
    images = ec2.describe_images(Owners=[CANONICAL_OWNER_ID], Filters=UBUNTU_IMAGES)["Images"]
    newest_first = sorted(images, key=lambda image: (image.get("CreationDate", ""), image["Name"]), reverse=True)
    return [image["ImageId"] for image in newest_first]


def first_image(endpoint_url: str, region: str) -> str:
    """The newest Canonical Ubuntu x86_64 image the emulator has (a read-only DescribeImages)."""
    credentials = {} if os.environ.get("AWS_ACCESS_KEY_ID") else EMULATOR_CREDENTIALS
    ec2 = boto3.client(
        "ec2",
        endpoint_url=endpoint_url,
        region_name=region,
        config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 1}),
        **credentials,
    )
    try:
        images = ubuntu_images(ec2)
    except (BotoCoreError, ClientError) as error:
        raise EmulatorError(
            f"cannot ask {endpoint_url} for its images ({error}); start the emulator first, e.g. "
            ".venv/bin/moto_server -H 127.0.0.1 -p 5000"
        ) from None
    if not images:
        raise EmulatorError(
            f"{endpoint_url} lists no Canonical Ubuntu x86_64 image; pin queue.ami_id and cluster.ami_id yourself"
        )
    return images[0]


def is_moto(endpoint_url: str) -> bool:
    """moto_server answers its own API at /moto-api/; LocalStack and AWS do not."""
    try:
        with urllib.request.urlopen(f"{endpoint_url}/moto-api/", timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def render(config: dict[str, Any], changes: list[str]) -> str:
    header = ["# The embedded example config, made deployable into an emulator. Changed from the example:"]
    header += [f"#   {change}" for change in changes]
    header += ["# Values marked EXAMPLE in `stackyard config example` are still the example's: fine for a try."]
    return "\n".join(header) + "\n" + yaml.safe_dump(config, sort_keys=False, default_flow_style=False)
