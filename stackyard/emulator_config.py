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
        f"queue.ami_id, cluster.ami_id: {image}, an image the emulator has (it has no Canonical Ubuntu)",
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


def first_image(endpoint_url: str, region: str) -> str:
    """The first image the emulator lists as Amazon's (a read-only DescribeImages)."""
    credentials = {} if os.environ.get("AWS_ACCESS_KEY_ID") else EMULATOR_CREDENTIALS
    ec2 = boto3.client(
        "ec2",
        endpoint_url=endpoint_url,
        region_name=region,
        config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 1}),
        **credentials,
    )
    try:
        images = ec2.describe_images(Owners=["amazon"])["Images"]
    except (BotoCoreError, ClientError) as error:
        raise EmulatorError(
            f"cannot ask {endpoint_url} for its images ({error}); start the emulator first, e.g. "
            ".venv/bin/moto_server -H 127.0.0.1 -p 5000"
        ) from None
    if not images:
        raise EmulatorError(f"{endpoint_url} lists no Amazon images; pin queue.ami_id and cluster.ami_id yourself")
    return images[0]["ImageId"]


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
