"""Everything a check may use: the deployment's outputs, the config, AWS clients and the network limits."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from stackyard.config import StackyardConfig
from stackyard.outputs import StackOutputs


@dataclass(frozen=True)
class QueueAddress:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass
class VerifyContext:
    outputs: StackOutputs
    config: StackyardConfig
    timeout: float = 5.0
    """Seconds allowed for each network operation."""
    queue_address: QueueAddress | None = None
    """Where to reach Redis, instead of the queue's Elastic IP."""
    redis_password: str | None = None
    verify_tls: bool = True
    ca_file: str | None = None
    """CA bundle that signed the queue's certificate (default: the system's)."""
    profile: str | None = None
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    """Unique per run, so concurrent runs never touch each other's test objects."""

    @property
    def endpoint_url(self) -> str | None:
        """The config's aws.endpoint_url (an emulator) wins; else boto3's own AWS_ENDPOINT_URL, else AWS itself."""
        return self.config.aws.endpoint_url

    def target(self) -> str:
        """Which AWS the checks talk to, for the report."""
        region = self.config.aws.region
        if self.endpoint_url:
            return f"{self.endpoint_url} (aws.endpoint_url), region {region}"
        if os.environ.get("AWS_ENDPOINT_URL"):
            return f"{os.environ['AWS_ENDPOINT_URL']} (AWS_ENDPOINT_URL), region {region}"
        return f"AWS, region {region}" + (f", profile {self.profile}" if self.profile else "")

    def client(self, service: str, **credentials: Any) -> Any:
        """A boto3 client through the standard chain (env, profile), bounded by the timeout. Each call builds its
        own session: boto3 sessions are not safe to share between threads."""
        session = boto3.session.Session(profile_name=self.profile, region_name=self.config.aws.region)
        botocore_config = Config(
            connect_timeout=self.timeout,
            read_timeout=self.timeout,
            retries={"mode": "standard", "max_attempts": 2},
        )
        if self.endpoint_url:
            credentials.setdefault("endpoint_url", self.endpoint_url)
        return session.client(service, config=botocore_config, **credentials)

    def output(self, name: str) -> Any:
        return self.outputs.find(name)
