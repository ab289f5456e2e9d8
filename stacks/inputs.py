"""Bundle mode's Terraform variables: the values an infrastructure team sets (region, names, CIDRs, sizes, ARNs)
become typed, described variables whose default is the config's value, validated in Terraform by the same rule
the config uses where that rule is simple. Outside bundle mode a stack takes the config's values as they are.

Structural choices (a stack, a resource, how many subnets) stay fixed by the config: Terraform variables can
change values, not the shape the config chose.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from constructs import Construct

from stacks.engine.cdk import TerraformVariable, TerraformVariableValidationConfig, Token
from stackyard.config import patterns

BUNDLE_CONTEXT = "stackyard:bundle"
"""The App context key that turns bundle mode on (see stacks.app.build_app)."""


@dataclass(frozen=True)
class Rule:
    """A Terraform validation: ``condition`` is an expression over one value written ``{value}`` (replaced as text:
    regex quantifiers use braces too)."""

    condition: str
    expected: str
    """What a valid value is, in words (the error message says it)."""

    @classmethod
    def matching(cls, pattern: patterns.TextPattern) -> Rule:
        """The config's own text pattern, as Terraform's regex (RE2 reads these patterns the same way)."""
        return cls(f"can(regex({json.dumps(pattern.regex)}, {{value}}))", pattern.expected)


CIDR = Rule("can(cidrnetmask({value}))", "an IPv4 CIDR such as 10.0.0.0/16")
REGION = Rule('can(regex("^[a-z]{2}(-[a-z]+)+-\\\\d+$", {value}))', "an AWS region name, e.g. eu-west-1")
BUCKET_NAME = Rule(
    'can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", {value}))',
    "an S3 bucket name (3-63 lowercase letters, digits, '.' and '-')",
)
IAM_NAME = Rule('can(regex("^[\\\\w+=,.@-]{1,64}$", {value}))', "an IAM name (1-64 letters, digits and + = , . @ - _)")
IAM_ARN = Rule(
    'can(regex("^arn:aws[a-z-]*:(iam|sts)::\\\\d{12}:.+$", {value}))',
    "an IAM ARN, e.g. arn:aws:iam::123456789012:role/name",
)
SIZE_GB = Rule("{value} >= 8 && {value} <= 16384 && floor({value}) == {value}", "a whole number of GB, 8 to 16384")
INSTANCE_TYPE = Rule.matching(patterns.INSTANCE_TYPE)
AMI_ID = Rule.matching(patterns.AMI_ID)
NAME_PREFIX = Rule.matching(patterns.NAME_PREFIX)
CLUSTER_NAME = Rule.matching(patterns.CLUSTER_NAME)
EXTERNAL_ID = Rule.matching(patterns.EXTERNAL_ID)
SECRET_NAME = Rule.matching(patterns.SECRET_NAME)
DNS_HOSTNAME = Rule.matching(patterns.DNS_HOSTNAME)
VPC_ID = Rule.matching(patterns.VPC_ID)
SUBNET_ID = Rule.matching(patterns.SUBNET_ID)
SUBNET_ID_OR_EMPTY = Rule(f'{{value}} == "" || {SUBNET_ID.condition}', f"empty or {SUBNET_ID.expected}")
SECURITY_GROUP = Rule.matching(patterns.SECURITY_GROUP_ID)
AVAILABILITY_ZONE = Rule.matching(patterns.AVAILABILITY_ZONE)


def _terraform_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "list(string)"
    if isinstance(value, dict) and all(isinstance(item, str) for item in value.values()):
        return "map(string)"
    raise TypeError(f"no Terraform variable type for {value!r}")


class Inputs:
    """A stack's inputs: ``value()`` gives the config's value, or in bundle mode a reference to a new variable."""

    def __init__(self, scope: Construct, bundle_mode: bool):
        self.scope = scope
        self.bundle_mode = bundle_mode

    def value(self, name: str, default: Any, description: str, rule: Rule | None = None) -> Any:
        """``default`` itself, or (bundle mode) a reference to variable ``name`` whose default it is. A list comes
        back as a Python list of element references, so constructs can still make one resource per element; its
        length is part of the config's shape, and the variable's validation says so."""
        if not self.bundle_mode:
            return default
        kind = _terraform_type(default)
        reference = f"var.{name}"
        conditions = []
        if kind == "list(string)":
            conditions.append(
                (
                    f"length({reference}) == {len(default)}",
                    f"a list of {len(default)} (the count is the config's; make a new bundle for another)",
                )
            )
            if rule is not None:
                each = rule.condition.replace("{value}", "item")
                conditions.append(
                    (f"alltrue([for item in {reference} : {each}])", f"a list whose every item is {rule.expected}")
                )
        elif rule is not None:
            conditions.append((rule.condition.replace("{value}", reference), rule.expected))
        variable = TerraformVariable(
            self.scope,
            f"variable_{name}",
            type=kind,
            description=description,
            nullable=False,
            validation=[
                TerraformVariableValidationConfig(
                    condition=f"${{{condition}}}", error_message=f"{name} must be {expected}."
                )
                for condition, expected in conditions
            ],
        )
        variable.override_logical_id(name)
        # Set raw: cdktf snake-cases the keys of a default it is given (a tag "cost-center" became "cost_center").
        variable.add_override("default", default)
        if kind == "list(string)":
            return [f"${{{reference}[{index}]}}" for index in range(len(default))]
        if kind == "map(string)":
            return Token.as_string_map(variable.value)
        if kind == "number":
            return variable.number_value
        if kind == "bool":
            return variable.boolean_value
        return variable.string_value
