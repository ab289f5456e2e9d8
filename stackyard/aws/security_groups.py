"""A security group's inbound rules as AWS reports them, however they were made (standalone rules or the console's
inline ones): one entry per rule, keyed by protocol, ports and source."""

from __future__ import annotations

from typing import Any, NamedTuple


class RuleKey(NamedTuple):
    protocol: str
    """tcp, udp, icmp or all."""
    from_port: int | None
    to_port: int | None
    source: str
    """A CIDR, or the id of the security group the rule admits."""


PROTOCOL_NAMES = {"6": "tcp", "17": "udp", "1": "icmp", "-1": "all"}


def ingress_rules(ec2: Any, group_id: str) -> dict[RuleKey, str]:
    """RuleKey -> the rule's sgr- id, for every inbound rule of the group."""
    return _rules(ec2, group_id, egress=False)


def egress_rules(ec2: Any, group_id: str) -> dict[RuleKey, str]:
    """RuleKey -> the rule's sgr- id, for every outbound rule of the group (source: its destination)."""
    return _rules(ec2, group_id, egress=True)


def rule_descriptions(ec2: Any, group_id: str) -> dict[str, str | None]:
    """sgr- id -> the rule's description (None when it has none)."""
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group_id]}])
    return {rule["SecurityGroupRuleId"]: rule.get("Description") or None for rule in rules["SecurityGroupRules"]}


def _rules(ec2: Any, group_id: str, egress: bool) -> dict[RuleKey, str]:
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group_id]}])
    found = {}
    for rule in rules["SecurityGroupRules"]:
        if bool(rule.get("IsEgress")) != egress:
            continue
        source = rule.get("CidrIpv4") or rule.get("CidrIpv6") or rule.get("ReferencedGroupInfo", {}).get("GroupId", "?")
        protocol = PROTOCOL_NAMES.get(rule["IpProtocol"], rule["IpProtocol"])
        # All traffic has no ports (AWS reports -1 or nothing).
        ports = (None, None) if protocol == "all" else (rule.get("FromPort"), rule.get("ToPort"))
        found[RuleKey(protocol, *ports, source)] = rule["SecurityGroupRuleId"]
    return found
