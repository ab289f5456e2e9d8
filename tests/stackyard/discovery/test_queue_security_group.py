"""queue-security-group: valohai-sg-queue's four console-made rules, matched by protocol, port and source."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.queue_security_group import QueueSecurityGroup


def test_found_with_every_rule_including_the_one_from_the_workers_group(find, estate, empty_account):
    assert find(QueueSecurityGroup, empty_account).state is State.MISSING
    finding = find(QueueSecurityGroup, estate.endpoint)
    assert (finding.state, finding.differences) == (State.FOUND, [])
    assert finding.outputs == {"queue_security_group_id": estate.ids["queue_group"]}


def test_another_redis_port_lacks_two_rules_and_has_two_the_config_does_not(find, estate):
    finding = find(QueueSecurityGroup, estate.endpoint, config=lambda c: c["firewall"].update(redis_tls_port=6380))
    lacks = [d for d in finding.differences if d.startswith("lacks")]
    extra = [d for d in finding.differences if d.startswith("has")]
    assert lacks == ["lacks tcp 6380 from 34.248.245.191/32", "lacks tcp 6380 from the workers' group"]
    assert len(extra) == 2 and all("63790-63790" in d for d in extra)
