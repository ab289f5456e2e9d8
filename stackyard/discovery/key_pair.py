"""key-pair: the queue's EC2 key pair, by its configured name (seed 001 records its name)."""

from __future__ import annotations

from botocore.exceptions import ClientError

from stackyard.discovery.core.base import Finder, Result, found, missing, used
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.stack_names import WORKERS_STACK


class KeyPair(Finder):
    id = "key-pair"
    title = "the queue's key pair"
    stack = WORKERS_STACK
    order = 170

    def wanted(self, context: DiscoveryContext) -> bool:
        return context.config.workers.enabled and context.config.queue.enabled

    def describe(self, context: DiscoveryContext) -> str:
        return f"EC2 key pair {context.config.queue.key_pair.name}"

    def find(self, context: DiscoveryContext) -> Result:
        name = context.config.queue.key_pair.name
        try:
            pairs = context.client("ec2").describe_key_pairs(KeyNames=[name])["KeyPairs"]
        except ClientError as error:
            if error.response["Error"].get("Code") == "InvalidKeyPair.NotFound":
                return missing()
            raise
        # Used by name, never imported: Terraform cannot read a key pair's public key back, so an import would
        # replace the key pair, and with it the queue instance.
        return found(pairs[0].get("KeyPairId", name), key_pair_name=name).adopting({"key-pair": used(name)})
