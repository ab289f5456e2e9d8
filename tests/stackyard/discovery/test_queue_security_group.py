"""queue-security-group: valohai-sg-queue's four console-made rules, matched by protocol, port and source."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.queue_security_group import QueueSecurityGroup
from tests.support import seeds


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


def test_each_console_rule_is_adopted_into_the_rule_of_the_same_port_and_source(find, estate):
    ec2 = estate.client("ec2")
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [estate.ids["queue_group"]]}])
    by_port = {
        (r["FromPort"], r.get("CidrIpv4") or r["ReferencedGroupInfo"]["GroupId"]): r["SecurityGroupRuleId"]
        for r in rules["SecurityGroupRules"]
        if not r["IsEgress"]
    }
    egress = [r["SecurityGroupRuleId"] for r in rules["SecurityGroupRules"] if r["IsEgress"]]
    adoption = find(QueueSecurityGroup, estate.endpoint).adoption
    imports = {slot: entry.import_id for slot, entry in adoption.resources.items()}
    assert imports == {
        "queue-security-group": estate.ids["queue_group"],
        "queue-http-acme": by_port[(80, "0.0.0.0/0")],
        "queue-redis-app": by_port[(63790, seeds.APP_IP)],
        "queue-redis-workers": by_port[(63790, estate.ids["workers_group"])],
        "queue-ssh": by_port[(22, seeds.VALOHAI_SSH_IP)],
        "queue-egress": egress[0],
    }
    assert adoption.resources["queue-security-group"].keep == {"description": "valohai queue"}
    assert (adoption.refusals, adoption.unmanaged) == ([], [])


def test_a_rule_the_config_lacks_is_left_alone_and_listed(find, estate):
    finding = find(QueueSecurityGroup, estate.endpoint, config=lambda c: c["firewall"].update(acme_http=False))
    assert "queue-http-acme" not in finding.adoption.resources
    (left,) = finding.adoption.unmanaged
    assert left.startswith("valohai-sg-queue: inbound tcp 80-80 from 0.0.0.0/0 (sgr-")
