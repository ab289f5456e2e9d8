"""worker-policy: seed 001's ValohaiWorkerPolicy."""

from __future__ import annotations

from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.families import ManagedPolicyFinder


class WorkerPolicy(ManagedPolicyFinder):
    id = "worker-policy"
    title = "the workers' policy"
    order = 50

    def policy_name(self, context: DiscoveryContext) -> str:
        return context.config.workers.worker_policy_name
