"""flow-log-group: the console steps make none; a group of another retention is a difference."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.flow_log_group import FlowLogGroup


def test_missing_where_the_seed_made_none_then_found_with_its_retention(find, fresh_estate):
    assert find(FlowLogGroup, fresh_estate.endpoint).state is State.MISSING
    logs = fresh_estate.client("logs")
    logs.create_log_group(logGroupName="/stackyard/valohai-vpc/flow-logs")
    finding = find(FlowLogGroup, fresh_estate.endpoint)
    assert finding.state is State.FOUND and finding.differences == ["retention never expires, the config: 365 days"]
