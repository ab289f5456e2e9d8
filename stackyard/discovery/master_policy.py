"""master-policy: seed 001's ValohaiMasterPolicy."""

from __future__ import annotations

from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.families import ManagedPolicyFinder


class MasterPolicy(ManagedPolicyFinder):
    id = "master-policy"
    title = "the platform's policy"
    order = 70

    def policy_name(self, context: DiscoveryContext) -> str:
        return context.config.workers.master_policy_name
