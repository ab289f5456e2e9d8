"""store-cors: the bucket's CORS rules are exactly seed 000's two (GET from anywhere, POST from the web app)."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from checks.base import Check, Outcome, failed, passed
from checks.context import VerifyContext


def expected_rules(app_origin: str) -> list[dict[str, Any]]:
    return [
        {
            "AllowedHeaders": ["Authorization"],
            "AllowedMethods": ["GET"],
            "AllowedOrigins": ["*"],
            "MaxAgeSeconds": 3000,
        },
        {
            "AllowedHeaders": ["Authorization"],
            "AllowedMethods": ["POST"],
            "AllowedOrigins": [app_origin],
            "MaxAgeSeconds": 3000,
        },
    ]


def _comparable(rule: dict[str, Any]) -> dict[str, Any]:
    keys = ("AllowedHeaders", "AllowedMethods", "AllowedOrigins", "MaxAgeSeconds")
    return {key: rule.get(key) for key in keys} | {"ExposeHeaders": rule.get("ExposeHeaders") or []}


def _as_set(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Terraform keeps cors_rule as a set, so S3 receives the rules in hash order. The two rules cannot match the
    # same request (different methods), so their order does not change what S3 allows.
    return sorted((_comparable(rule) for rule in rules), key=lambda rule: json.dumps(rule, sort_keys=True))


class StoreCors(Check):
    id = "store-cors"
    title = "CORS rules equal the configured ones (seed 000)"
    seed = "000"
    needs_outputs = ("bucket_name",)

    def run(self, context: VerifyContext) -> Outcome:
        bucket = context.output("bucket_name")
        want = _as_set(expected_rules(context.config.data_store.app_origin))
        try:
            rules = context.client("s3").get_bucket_cors(Bucket=bucket)["CORSRules"]
        except ClientError as error:
            if error.response["Error"].get("Code") == "NoSuchCORSConfiguration":
                return failed(f"{bucket} has no CORS configuration; the web app cannot upload")
            raise
        have = _as_set(rules)
        if have != want:
            return failed(f"{bucket}: CORS rules differ from the configured ones", found=have, expected=want)
        return passed(f"{bucket}: GET from *, POST from {context.config.data_store.app_origin}, max age 3000")
