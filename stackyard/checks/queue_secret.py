"""queue-secret: the customer-installed queue's Redis password is in Secrets Manager, and only the queue, the platform
(ValohaiMaster) and the config's password_readers may read it."""

from __future__ import annotations

import fnmatch
from typing import Any

from stackyard.aws.iam_documents import as_list, parse_document
from stackyard.aws.secrets import has_value
from stackyard.checks.core.base import Check, Outcome, Severity, failed, passed, skipped
from stackyard.checks.core.context import VerifyContext
from stackyard.checks.core.iam_permissions import decide

READ = "secretsmanager:GetSecretValue"
# What each role needs on the secret (stacks/policies.py grants exactly these).
NEEDED = {
    "master_role_arn": ("secretsmanager:DescribeSecret", READ),
    "queue_role_arn": ("secretsmanager:DescribeSecret", READ, "secretsmanager:PutSecretValue"),
}
# Condition operators that exempt the listed principals from a Deny.
EXEMPTING_OPERATORS = ("StringNotEquals", "StringNotEqualsIgnoreCase", "ArnNotEquals", "ArnNotLike", "StringNotLike")


class QueueSecret(Check):
    id = "queue-secret"
    title = "The queue's Redis password is in Secrets Manager, readable only by the queue and the platform"
    seed = "001"
    severity = Severity.HIGH
    remediation = (
        "`cdktf deploy workers` restores the secret and its policy; a secret without a value gets one when the "
        "queue boots (journalctl -t stackyard-queue-setup on the queue)"
    )
    order = 105
    optional_outputs = ("queue_password_secret_arn", "master_role_arn", "queue_role_arn")

    def run(self, context: VerifyContext) -> Outcome:
        secret_arn = context.output("queue_password_secret_arn")
        if secret_arn is None:
            return skipped("no queue_password_secret_arn in the outputs: the queue is installed by the platform")
        secrets = context.client("secretsmanager")
        secret = secrets.describe_secret(SecretId=secret_arn)
        if secret.get("DeletedDate"):
            return failed(f"{secret['Name']} is scheduled for deletion on {secret['DeletedDate']:%Y-%m-%d}")
        if not has_value(secret):
            return failed(f"{secret['Name']} has no value yet: the queue stores one at its first boot")

        expected = {arn for arn in (context.output("master_role_arn"), context.output("queue_role_arn")) if arn}
        expected |= set(context.config.queue.password_readers)
        raw_policy = secrets.get_resource_policy(SecretId=secret_arn).get("ResourcePolicy")
        exempt = readers_allowed_by_deny(parse_document(raw_policy) if raw_policy else {})
        if exempt is None:
            return failed(
                f"{secret['Name']} has no resource policy denying {READ} to other principals: anyone whose IAM "
                "policies allow it can read the Redis password"
            )
        unexpected, denied = sorted(exempt - expected), sorted(expected - exempt)
        if unexpected:
            return failed(f"{secret['Name']}: the resource policy also lets {', '.join(unexpected)} read the password")
        if denied:
            return failed(f"{secret['Name']}: the resource policy denies {', '.join(denied)}, which must read it")

        iam = context.client("iam")
        for output, actions in NEEDED.items():
            role_arn = context.output(output)
            if role_arn is None:
                continue
            refused = [d for d in decide(iam, role_arn, list(actions), secret_arn) if not d.allowed]
            if refused:
                return failed(f"{role_arn} lacks what it needs: {'; '.join(d.describe() for d in refused)}")
        return passed(
            f"{secret['Name']} has a value; only {', '.join(sorted(exempt))} may read it",
            secret=secret_arn,
            readers=sorted(exempt),
        )


def readers_allowed_by_deny(policy: dict[str, Any]) -> set[str] | None:
    """The principals a Deny of GetSecretValue to everyone exempts (empty: nobody may read); None if no statement
    denies reading to everyone."""
    for statement in as_list(policy.get("Statement")):
        if statement.get("Effect") != "Deny" or not _everyone(statement.get("Principal")):
            continue
        if not any(fnmatch.fnmatchcase(READ.lower(), str(a).lower()) for a in as_list(statement.get("Action"))):
            continue
        conditions: dict[str, Any] = statement.get("Condition") or {}
        if not conditions:
            return set()
        exempt: set[str] = set()
        for operator, keys in conditions.items():
            if operator not in EXEMPTING_OPERATORS or set(keys) != {"aws:PrincipalArn"}:
                break  # another condition narrows the Deny: it does not cover every reader
            exempt |= set(as_list(keys["aws:PrincipalArn"]))
        else:
            return exempt
    return None


def _everyone(principal: Any) -> bool:
    return principal == "*" or (isinstance(principal, dict) and "*" in as_list(principal.get("AWS")))
