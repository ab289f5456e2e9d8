"""flow-log-group: the CloudWatch Logs group of the VPC's flow logs."""

from __future__ import annotations

from stackyard.discovery.core.base import Finder, Result, found, imported, missing
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.stack_names import WORKERS_STACK


class FlowLogGroup(Finder):
    id = "flow-log-group"
    title = "the flow-log group"
    stack = WORKERS_STACK
    order = 180

    def wanted(self, context: DiscoveryContext) -> bool:
        network = context.config.network
        return context.config.workers.enabled and network.existing is None and network.flow_logs.enabled

    def describe(self, context: DiscoveryContext) -> str:
        return f"log group {context.names.flow_log_group}"

    def find(self, context: DiscoveryContext) -> Result:
        name = context.names.flow_log_group
        groups = context.client("logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"]
        match = [group for group in groups if group["logGroupName"] == name]
        if not match:
            return missing()
        differences = []
        retention = match[0].get("retentionInDays")
        if retention != context.config.network.flow_logs.retention_days:
            differences.append(
                f"retention {retention or 'never expires'}, the config: "
                f"{context.config.network.flow_logs.retention_days} days"
            )
        return found(name, differences, flow_log_group=name).adopting({"flow-log-group": imported(name)})
