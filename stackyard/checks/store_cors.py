"""store-cors: the bucket's CORS rules are exactly seed 000's two (GET from anywhere, POST from the web app)."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from stackyard.checks.core.base import Check, Outcome, Severity, failed, passed
from stackyard.checks.core.context import VerifyContext


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
    severity = Severity.MEDIUM
    remediation = "Restore seed 000's CORS rules (GET from *, POST from data_store.app_origin): `cdktf deploy data`"
    order = 30
    needs_outputs = ("bucket_name",)

    def run(self, context: VerifyContext) -> Outcome:
        bucket = context.output("bucket_name")
        want = _as_set([rule.as_s3() for rule in context.config.data_store.cors_rules()])
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
