"""Reading Secrets Manager's DescribeSecret answers: shared by verification and discovery."""

from __future__ import annotations

from typing import Any


def has_value(secret: dict[str, Any]) -> bool:
    """Whether the secret has a current value (a version staged AWSCURRENT); DescribeSecret never returns it."""
    return any("AWSCURRENT" in stages for stages in (secret.get("VersionIdsToStages") or {}).values())
