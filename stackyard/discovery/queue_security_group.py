"""queue-security-group: valohai-sg-queue and its inbound rules (seed 001)."""

from __future__ import annotations

from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.families import SecurityGroupFinder


class QueueSecurityGroup(SecurityGroupFinder):
    id = "queue-security-group"
    title = "the queue's security group"
    order = 140
    group = "queue"
    output = "queue_security_group_id"

    def group_name(self, context: DiscoveryContext) -> str:
        return context.names.queue_security_group
