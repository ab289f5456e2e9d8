"""queue-password-secret: the Secrets Manager secret of a customer-installed queue's Redis password."""

from __future__ import annotations

from botocore.exceptions import ClientError

from stackyard.aws.secrets import has_value
from stackyard.discovery.core.base import Finder, Refusal, Result, found, imported, missing
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.stack_names import WORKERS_STACK


class QueuePasswordSecret(Finder):
    id = "queue-password-secret"
    title = "the queue's Redis password secret"
    stack = WORKERS_STACK
    order = 175

    def wanted(self, context: DiscoveryContext) -> bool:
        return context.config.workers.enabled and context.config.queue.installs_itself()

    def describe(self, context: DiscoveryContext) -> str:
        return f"secret {context.config.queue.password_secret_name}"

    def find(self, context: DiscoveryContext) -> Result:
        queue = context.config.queue
        try:
            secret = context.client("secretsmanager").describe_secret(SecretId=queue.password_secret_name)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return missing()
            raise
        arn = secret["ARN"]

        differences = [
            "has a value: the queue keeps it" if has_value(secret) else "has no value yet: the queue makes one"
        ]
        if (secret.get("KmsKeyId") or None) != queue.password_kms_key_arn:
            differences.append(
                f"KMS key {secret.get('KmsKeyId') or 'AWS-managed'}, the config: "
                f"{queue.password_kms_key_arn or 'AWS-managed'} (changed in place)"
            )
        refusal = None
        if secret.get("DeletedDate"):
            refusal = Refusal(
                field="queue.password_secret_name",
                config_value=queue.password_secret_name,
                found_value=f"scheduled for deletion on {secret['DeletedDate']:%Y-%m-%d}",
                why="a secret pending deletion cannot be imported, nor a new one made under its name",
                fix=f"restore it (aws secretsmanager restore-secret --secret-id {queue.password_secret_name}), "
                "or choose another password_secret_name",
            )
        result = found(arn, differences, queue_password_secret_arn=arn)
        return result.adopting({"queue-password-secret": imported(arn)} if refusal is None else {}, [refusal])
