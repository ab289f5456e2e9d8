"""store-user: the IAM user the platform authenticates as, its inline policy and its access keys (ids only)."""

from __future__ import annotations

from stackyard.discovery.core.base import Finder, Result, found, missing
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.lookups import user
from stackyard.stack_names import DATA_STACK


class StoreUser(Finder):
    id = "store-user"
    title = "the data store's IAM user"
    stack = DATA_STACK
    order = 30

    def wanted(self, context: DiscoveryContext) -> bool:
        return context.config.data_store.enabled

    def describe(self, context: DiscoveryContext) -> str:
        return f"IAM user {context.config.data_store.user_name}"

    def find(self, context: DiscoveryContext) -> Result:
        iam, name = context.client("iam"), context.config.data_store.user_name
        if user(iam, name) is None:
            return missing()
        differences = []
        policies = iam.list_user_policies(UserName=name)["PolicyNames"]
        expected_policy = f"{name}-bucket-access"
        if expected_policy not in policies:
            differences.append(f"inline policy {expected_policy} not there (has: {', '.join(policies) or 'none'})")
        keys = [key["AccessKeyId"] for key in iam.list_access_keys(UserName=name)["AccessKeyMetadata"]]
        if len(keys) > 1:
            differences.append(f"{len(keys)} access keys: {', '.join(keys)}")
        outputs = {"user_name": name} | ({"access_key_id": keys[0]} if keys else {})
        return found(name, differences, **outputs)
