"""Every IAM policy document of a synthesized stack, with Terraform references replaced by the concrete values
AWS would see, so policy linters (parliament) judge the policy rather than the interpolation syntax."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tests.support.synth import Synthesized

EXAMPLE_ACCOUNT = "123456789012"
POLICY_FIELDS = {"policy", "assume_role_policy"}
_REFERENCE = re.compile(r"\$\{([a-z0-9_]+(?:\.[A-Za-z0-9_]+)+)\}")


@dataclass(frozen=True)
class PolicyDocument:
    stack: str
    resource_type: str
    logical_id: str
    name: str
    """The policy's or role's AWS name (what the README lists warnings under)."""
    field: str
    document: dict[str, Any]

    @property
    def is_trust_policy(self) -> bool:
        return self.field == "assume_role_policy"


def policy_documents(synth: Synthesized) -> Iterator[PolicyDocument]:
    region = synth.config.aws.region
    for stack in synth.stack_names():
        body = synth.stack(stack)
        for resource_type, resources in body.get("resource", {}).items():
            for logical_id, resource in resources.items():
                for field in POLICY_FIELDS & set(resource):
                    text = _REFERENCE.sub(lambda match, b=body: _concrete(b, region, match.group(1)), resource[field])
                    document = json.loads(text)
                    name = resource.get("name") or resource.get("bucket") or logical_id
                    if resource_type == "aws_s3_bucket_policy":
                        name = _concrete(body, region, resource["bucket"][2:-1].replace(".id", ".bucket"))
                    if field == "assume_role_policy":
                        # A trust policy is the role's resource policy: the resource it governs is the role itself.
                        role_arn = f"arn:aws:iam::{EXAMPLE_ACCOUNT}:role/{resource['name']}"
                        for statement in document["Statement"]:
                            statement.setdefault("Resource", role_arn)
                    yield PolicyDocument(stack, resource_type, logical_id, name, field, document)


def _concrete(body: dict[str, Any], region: str, reference: str) -> str:
    """The value a reference takes once deployed (names from the synthesized resources, an example account)."""
    parts = reference.split(".")
    if parts[0] == "data":
        kind, attribute = parts[1], parts[-1]
        values = {("aws_partition", "partition"): "aws", ("aws_caller_identity", "account_id"): EXAMPLE_ACCOUNT}
        if (kind, attribute) in values:
            return values[kind, attribute]
        raise AssertionError(f"no example value for data source reference {reference}; add one to policy_audit.py")
    kind, logical_id, attribute = parts
    resource = body["resource"][kind][logical_id]
    arns = {
        "aws_s3_bucket": lambda: f"arn:aws:s3:::{resource['bucket']}",
        "aws_iam_user": lambda: f"arn:aws:iam::{EXAMPLE_ACCOUNT}:user/{resource['name']}",
        "aws_iam_role": lambda: f"arn:aws:iam::{EXAMPLE_ACCOUNT}:role/{resource['name']}",
        "aws_cloudwatch_log_group": lambda: f"arn:aws:logs:{region}:{EXAMPLE_ACCOUNT}:log-group:{resource['name']}",
        # Secrets Manager appends 6 random characters to the name.
        "aws_secretsmanager_secret": lambda: (
            f"arn:aws:secretsmanager:{region}:{EXAMPLE_ACCOUNT}:secret:{resource['name']}-AbCdEf"
        ),
    }
    if attribute == "arn" and kind in arns:
        return arns[kind]()
    if kind == "aws_s3_bucket" and attribute == "bucket":
        return resource["bucket"]
    raise AssertionError(f"no example value for reference {reference}; add one to policy_audit.py")
