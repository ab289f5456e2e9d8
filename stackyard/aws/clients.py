"""boto3 clients for a config's AWS: its endpoint (an emulator) when it names one, else the standard chain (the
environment, a profile), bounded by a timeout. Used by verification and discovery alike."""

from __future__ import annotations

import os
from typing import Any

import boto3
from botocore.config import Config

from stackyard.config import StackyardConfig


def client(config: StackyardConfig, service: str, profile: str | None, timeout: float, **credentials: Any) -> Any:
    """A new client per call: boto3 sessions are not safe to share between threads."""
    session = boto3.session.Session(profile_name=profile, region_name=config.aws.region)
    bounded = Config(connect_timeout=timeout, read_timeout=timeout, retries={"mode": "standard", "max_attempts": 2})
    if config.aws.endpoint_url:
        credentials.setdefault("endpoint_url", config.aws.endpoint_url)
    return session.client(service, config=bounded, **credentials)


def target(config: StackyardConfig, profile: str | None) -> str:
    """Which AWS the clients talk to, for reports."""
    region = config.aws.region
    if config.aws.endpoint_url:
        return f"{config.aws.endpoint_url} (aws.endpoint_url), region {region}"
    if os.environ.get("AWS_ENDPOINT_URL"):
        return f"{os.environ['AWS_ENDPOINT_URL']} (AWS_ENDPOINT_URL), region {region}"
    return f"AWS, region {region}" + (f", profile {profile}" if profile else "")
