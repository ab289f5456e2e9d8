"""workers-security-group: valohai-sg-workers and its inbound rules (seed 001)."""

from __future__ import annotations

from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.families import SecurityGroupFinder


class WorkersSecurityGroup(SecurityGroupFinder):
    id = "workers-security-group"
    title = "the workers' security group"
    order = 130
    group = "workers"
    output = "workers_security_group_id"

    def group_name(self, context: DiscoveryContext) -> str:
        return context.names.workers_security_group
