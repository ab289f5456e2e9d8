"""The names seed 001 gives the network and queue resources, from the config's one prefix (`valohai`): the stacks
create resources with them and discovery finds hand-made ones by them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResourceNames:
    prefix: str = "valohai"

    @property
    def vpc(self) -> str:
        return f"{self.prefix}-vpc"

    def subnet(self, number: int) -> str:
        """The number-th subnet (1-based): valohai-subnet-1, ..."""
        return f"{self.prefix}-subnet-{number}"

    @property
    def internet_gateway(self) -> str:
        return f"{self.prefix}-igw"

    @property
    def route_table(self) -> str:
        return f"{self.prefix}-rt"

    @property
    def default_security_group(self) -> str:
        return f"{self.prefix}-default"

    @property
    def workers_security_group(self) -> str:
        return f"{self.prefix}-sg-workers"

    @property
    def queue_security_group(self) -> str:
        return f"{self.prefix}-sg-queue"

    @property
    def queue_instance(self) -> str:
        return f"{self.prefix}-i-queue"

    @property
    def queue_elastic_ip(self) -> str:
        return f"{self.prefix}-ip-queue"

    @property
    def flow_log_group(self) -> str:
        return f"/stackyard/{self.vpc}/flow-logs"

    @property
    def flow_log_role(self) -> str:
        return f"{self.vpc}-flow-logs"
