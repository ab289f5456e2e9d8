"""store-user: the IAM user the platform authenticates as, its inline policy and its access keys (ids only)."""

from __future__ import annotations

from stackyard.discovery.core.base import Finder, Result, found, imported, missing, used
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
        differences, unmanaged = [], []
        adopt = {"store-user": imported(name)}
        policies = iam.list_user_policies(UserName=name)["PolicyNames"]
        expected_policy = f"{name}-bucket-access"
        if expected_policy in policies:
            adopt["store-user-policy"] = imported(f"{name}:{expected_policy}")
        elif len(policies) == 1:
            # The console asks for a name and people type their own: take it over under that name.
            adopt["store-user-policy"] = imported(f"{name}:{policies[0]}", keep={"name": policies[0]})
            differences.append(f"inline policy named {policies[0]} (stackyard's name: {expected_policy}); kept")
        else:
            differences.append(f"inline policy {expected_policy} not there (has: {', '.join(policies) or 'none'})")
            unmanaged += [f"inline policy {policy} of user {name}" for policy in policies]
        keys = [key["AccessKeyId"] for key in iam.list_access_keys(UserName=name)["AccessKeyMetadata"]]
        if len(keys) > 1:
            differences.append(f"{len(keys)} access keys: {', '.join(keys)}")
        if keys and context.config.data_store.create_access_key:
            # Its secret cannot be read back: the stack uses this key and creates no second one.
            adopt["store-access-key"] = used(keys[0])
            unmanaged += [f"access key {key} of user {name}" for key in keys[1:]]
        outputs = {"user_name": name} | ({"access_key_id": keys[0]} if keys else {})
        return found(name, differences, **outputs).adopting(adopt, unmanaged=unmanaged)
