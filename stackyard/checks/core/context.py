"""Everything a check may use: the deployment's outputs, the config, AWS clients and the network limits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from stackyard.aws import clients as aws_clients
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

    def target(self) -> str:
        """Which AWS the checks talk to, for the report."""
        return aws_clients.target(self.config, self.profile)

    def client(self, service: str, **credentials: Any) -> Any:
        """A boto3 client for the config's AWS (its endpoint_url, else the standard chain), bounded by the timeout."""
        return aws_clients.client(self.config, service, self.profile, self.timeout, **credentials)

    def output(self, name: str) -> Any:
        return self.outputs.find(name)
