"""Reading IAM and S3 policy documents as AWS returns them, and a role's trust policy: shared by verification and
discovery."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote


def parse_document(raw: Any) -> dict[str, Any]:
    """IAM returns documents as URL-encoded JSON text (real AWS) or already parsed (boto3 does this for most)."""
    if isinstance(raw, dict):
        return raw
    return json.loads(unquote(raw))


def as_list(value: Any) -> list[Any]:
    """A policy field that may be one value or a list of them (Action, Resource, Principal.AWS...)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def trust_statements(iam: Any, role_arn: str) -> list[dict[str, Any]]:
    """The Allow sts:AssumeRole statements of the role's trust policy (by ARN or name)."""
    raw = iam.get_role(RoleName=role_arn.rsplit("/", 1)[-1])["Role"]["AssumeRolePolicyDocument"]
    return assume_statements(parse_document(raw))


def assume_statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        s
        for s in as_list(document.get("Statement"))
        if s.get("Effect") == "Allow" and "sts:AssumeRole" in as_list(s.get("Action"))
    ]


def aws_principals(statement: dict[str, Any]) -> list[str]:
    principal = statement.get("Principal", {})
    return as_list(principal.get("AWS", [])) if isinstance(principal, dict) else []


def principals_of(statements: list[dict[str, Any]]) -> list[str]:
    """The AWS principals these trust statements name, sorted."""
    return sorted({principal for statement in statements for principal in aws_principals(statement)})


def trusted_principals(trust_document: Any) -> list[str]:
    """The AWS principals a trust policy lets assume the role, sorted."""
    return principals_of(assume_statements(parse_document(trust_document)))
