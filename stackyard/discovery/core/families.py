"""Bases of near-twin finders: a subclass names what differs."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from stackyard.aws.security_groups import RuleKey, egress_rules, ingress_rules, rule_descriptions
from stackyard.config.firewall_rules import EGRESS_SLOTS, WORKERS_GROUP, seed_ingress_rules
from stackyard.discovery.core.base import Finder, Refusal, Result, by_count, found, imported
from stackyard.discovery.core.context import DiscoveryContext, name_filter
from stackyard.discovery.core.lookups import attached_policies, customer_policies
from stackyard.stack_names import WORKERS_STACK

ALL_EGRESS = RuleKey("all", None, None, "0.0.0.0/0")
"""The outbound rule every group has from birth, and the one stackyard declares."""


class ManagedPolicyFinder(Finder):
    """One of this account's managed policies, by name; adopted in the slot named like the finder, keeping its
    description (a new description would replace the policy)."""

    stack = WORKERS_STACK

    @abstractmethod
    def policy_name(self, context: DiscoveryContext) -> str: ...

    def wanted(self, context: DiscoveryContext) -> bool:
        return context.config.workers.enabled

    def describe(self, context: DiscoveryContext) -> str:
        return f"IAM policy {self.policy_name(context)}"

    def find(self, context: DiscoveryContext) -> Result:
        policies = customer_policies(context.client("iam"), self.policy_name(context))
        arns = [policy["Arn"] for policy in policies]
        return by_count(arns, lambda: self._adopt(context, arns[0]))

    def _adopt(self, context: DiscoveryContext, arn: str) -> Result:
        description = context.client("iam").get_policy(PolicyArn=arn)["Policy"].get("Description", "")
        return found(arn).adopting({self.id: imported(arn, keep={"description": description})})


class NamedEc2Finder(Finder):
    """An EC2 resource by its Name tag (how the console names things): missing, one, or ambiguous."""

    stack = WORKERS_STACK

    @abstractmethod
    def name(self, context: DiscoveryContext) -> str: ...

    @abstractmethod
    def candidates(self, ec2: Any, filters: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The resources matching the filters (describe_* call)."""

    @abstractmethod
    def with_one(self, context: DiscoveryContext, resource: dict[str, Any]) -> Result: ...

    id_key: str = "Id"

    def wanted(self, context: DiscoveryContext) -> bool:
        return context.config.workers.enabled and context.config.network.existing is None

    def describe(self, context: DiscoveryContext) -> str:
        return f"{self.title} named {self.name(context)}"

    def find(self, context: DiscoveryContext) -> Result:
        resources = self.candidates(context.client("ec2"), name_filter(self.name(context)))
        return by_count([r[self.id_key] for r in resources], lambda: self.with_one(context, resources[0]))


class SecurityGroupFinder(Finder):
    """One of seed 001's security groups by its group name, its inbound rules compared with the config's. Adopted
    with its description kept (a new one would replace the group); each console rule goes to the standalone rule
    resource with the same protocol, ports and source, and a rule the config lacks is left alone."""

    stack = WORKERS_STACK
    group: str
    """workers or queue (IngressRule.group)."""
    output: str

    @abstractmethod
    def group_name(self, context: DiscoveryContext) -> str: ...

    def wanted(self, context: DiscoveryContext) -> bool:
        return context.config.workers.enabled

    def describe(self, context: DiscoveryContext) -> str:
        return f"security group {self.group_name(context)} and its inbound rules"

    def find(self, context: DiscoveryContext) -> Result:
        ec2 = context.client("ec2")
        groups = group_ids(ec2, self.group_name(context))
        return by_count(groups, lambda: self._compare(context, ec2, groups[0]))

    def _compare(self, context: DiscoveryContext, ec2: Any, group_id: str) -> Result:
        workers = group_ids(ec2, context.names.workers_security_group)
        source_of = {WORKERS_GROUP: workers[0] if len(workers) == 1 else WORKERS_GROUP}
        wanted = {
            RuleKey("tcp", rule.port, rule.port, source_of.get(rule.source, rule.source)): rule
            for rule in seed_ingress_rules(context.config)
            if rule.group == self.group
        }
        have = ingress_rules(ec2, group_id)
        name = self.group_name(context)
        differences = [f"lacks {rule.label()}" for key, rule in wanted.items() if key not in have]
        differences += [
            f"has {key.protocol} {key.from_port}-{key.to_port} from {key.source} ({rule_id}), which the config does not"
            for key, rule_id in have.items()
            if key not in wanted
        ]
        group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
        adopt = {self.id: imported(group_id, keep={"description": group.get("Description", "")})}
        adopt |= {rule.slot: imported(have[key]) for key, rule in wanted.items() if key in have}
        unmanaged = [
            f"{name}: inbound {key.protocol} {key.from_port}-{key.to_port} from {key.source} ({rule_id})"
            for key, rule_id in have.items()
            if key not in wanted
        ]
        descriptions = rule_descriptions(ec2, group_id)
        for key, rule_id in egress_rules(ec2, group_id).items():
            if key == ALL_EGRESS and EGRESS_SLOTS[self.group] not in adopt:
                # Its description stays as found: moto cannot modify an all-traffic rule (it asks for ports),
                # and the group's rule from birth has none to improve on.
                description = descriptions.get(rule_id)
                adopt[EGRESS_SLOTS[self.group]] = imported(rule_id, keep={"description": description})
            else:
                unmanaged.append(
                    f"{name}: outbound {key.protocol} {key.from_port}-{key.to_port} to {key.source} ({rule_id})"
                )
        result = found(group_id, differences, **{self.output: group_id})
        return result.adopting(adopt, [self._vpc_refusal(context, ec2, group)], unmanaged)

    def _vpc_refusal(self, context: DiscoveryContext, ec2: Any, group: dict[str, Any]) -> Refusal | None:
        vpcs = ec2.describe_vpcs(Filters=name_filter(context.names.vpc))["Vpcs"]
        if context.config.network.existing is not None:
            wanted = context.config.network.existing.vpc_id
            field = "network.existing.vpc_id"
        elif len(vpcs) == 1:
            wanted, field = vpcs[0]["VpcId"], "network.name_prefix"
        else:
            wanted, field = f"a new {context.names.vpc}", "network.existing.vpc_id"
        if group["VpcId"] == wanted:
            return None
        return Refusal(field, wanted, group["VpcId"], f"replace {group['GroupName']}, which is in another VPC")


def role_with_policy(iam: Any, role_name: str, policy_name: str, slot: str) -> tuple[dict[str, Any], list[str]]:
    """A found role in its slot and the attachment of its managed policy in ``<slot-stem>-policy-attachment``
    (import id role/policy-arn), or the difference that the policy is not attached."""
    adopt = {slot: imported(role_name)}
    attached = attached_policies(iam, role_name)
    if policy_name not in attached:
        return adopt, [f"{policy_name} not attached (has: {', '.join(attached) or 'none'})"]
    adopt[slot.removesuffix("-role") + "-policy-attachment"] = imported(f"{role_name}/{attached[policy_name]}")
    return adopt, []


def group_ids(ec2: Any, name: str) -> list[str]:
    groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [name]}])["SecurityGroups"]
    return [group["GroupId"] for group in groups]
