"""Reading a role's trust policy: which AWS principals may assume it, and with which conditions."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote


def trust_statements(iam: Any, role_arn: str) -> list[dict[str, Any]]:
    """The Allow sts:AssumeRole statements of the role's trust policy."""
    raw = iam.get_role(RoleName=role_arn.rsplit("/", 1)[-1])["Role"]["AssumeRolePolicyDocument"]
    document = raw if isinstance(raw, dict) else json.loads(unquote(raw))
    statements = document.get("Statement", [])
    return [
        s
        for s in (statements if isinstance(statements, list) else [statements])
        if s.get("Effect") == "Allow" and "sts:AssumeRole" in _as_list(s.get("Action"))
    ]


def aws_principals(statement: dict[str, Any]) -> list[str]:
    principal = statement.get("Principal", {})
    return _as_list(principal.get("AWS", [])) if isinstance(principal, dict) else []


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
