"""What a finder may use: the config, the names it implies, and read-only AWS clients."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stackyard.aws import clients as aws_clients
from stackyard.config import StackyardConfig
from stackyard.config.resource_names import ResourceNames


@dataclass
class DiscoveryContext:
    config: StackyardConfig
    profile: str | None = None
    timeout: float = 10.0

    @property
    def names(self) -> ResourceNames:
        return ResourceNames(self.config.network.name_prefix)

    def client(self, service: str) -> Any:
        return aws_clients.client(self.config, service, self.profile, self.timeout)

    def target(self) -> str:
        return aws_clients.target(self.config, self.profile)


def tags_of(resource: dict[str, Any]) -> dict[str, str]:
    """An EC2 resource's tags as a mapping."""
    return {tag["Key"]: tag["Value"] for tag in resource.get("Tags", [])}


def name_filter(*names: str) -> list[dict[str, Any]]:
    return [{"Name": "tag:Name", "Values": list(names)}]
