"""Reading IAM and S3 policy documents as AWS returns them."""

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
