"""workers-security-group: valohai-sg-workers, its console-made inline rules against the config's."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.workers_security_group import WorkersSecurityGroup


def test_found_with_the_seeds_rule_and_no_difference(find, estate, empty_account):
    assert find(WorkersSecurityGroup, empty_account).state is State.MISSING
    finding = find(WorkersSecurityGroup, estate.endpoint)
    assert (finding.state, finding.differences) == (State.FOUND, [])
    assert finding.outputs == {"workers_security_group_id": estate.ids["workers_group"]}


def test_a_config_without_the_optional_ssh_rule_lists_it_as_extra(find, estate):
    finding = find(
        WorkersSecurityGroup, estate.endpoint, config=lambda c: c["firewall"].update(workers_ssh_from_valohai=False)
    )
    (difference,) = finding.differences
    assert difference.startswith("has tcp 22-22 from 3.251.38.215/32 (sgr-") and difference.endswith(
        "the config does not"
    )
