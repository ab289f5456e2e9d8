"""Reading a role's trust policy: which AWS principals may assume it, and with which conditions."""

from __future__ import annotations

from typing import Any

from stackyard.checks.core.policy_documents import as_list, parse_document


def trust_statements(iam: Any, role_arn: str) -> list[dict[str, Any]]:
    """The Allow sts:AssumeRole statements of the role's trust policy."""
    raw = iam.get_role(RoleName=role_arn.rsplit("/", 1)[-1])["Role"]["AssumeRolePolicyDocument"]
    document = parse_document(raw)
    return [
        s
        for s in as_list(document.get("Statement"))
        if s.get("Effect") == "Allow" and "sts:AssumeRole" in as_list(s.get("Action"))
    ]


def aws_principals(statement: dict[str, Any]) -> list[str]:
    principal = statement.get("Principal", {})
    return as_list(principal.get("AWS", [])) if isinstance(principal, dict) else []
