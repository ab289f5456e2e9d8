"""multipart-role: seed 000's optional role for uploads over 5 GB, whom it trusts, and its inline policy."""

from __future__ import annotations

from stackyard.aws.iam_documents import trusted_principals
from stackyard.discovery.core.base import Finder, Result, found, imported, missing
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.lookups import role, user
from stackyard.stack_names import DATA_STACK

POLICY_NAME = "MultipartAccess"
"""The inline policy's name in the stack."""


class MultipartRole(Finder):
    id = "multipart-role"
    title = "the multipart-upload role"
    stack = DATA_STACK
    order = 40

    def wanted(self, context: DiscoveryContext) -> bool:
        return context.config.data_store.enabled and context.config.data_store.multipart_upload_role

    def describe(self, context: DiscoveryContext) -> str:
        return f"IAM role {context.config.data_store.multipart_upload_role_name}"

    def find(self, context: DiscoveryContext) -> Result:
        iam, settings = context.client("iam"), context.config.data_store
        found_role = role(iam, settings.multipart_upload_role_name)
        if found_role is None:
            return missing()
        store_user = user(iam, settings.user_name)
        principals = trusted_principals(found_role["AssumeRolePolicyDocument"])
        differences, unmanaged = [], []
        if store_user is None or principals != [store_user["Arn"]]:
            differences.append(f"trusts {principals or 'nobody'}, the config: only the store user {settings.user_name}")
        name = found_role["RoleName"]
        adopt = {"multipart-role": imported(name)}
        policies = iam.list_role_policies(RoleName=name)["PolicyNames"]
        if POLICY_NAME in policies:
            adopt["multipart-role-policy"] = imported(f"{name}:{POLICY_NAME}")
        elif len(policies) == 1:
            adopt["multipart-role-policy"] = imported(f"{name}:{policies[0]}", keep={"name": policies[0]})
        else:
            unmanaged += [f"inline policy {policy} of role {name}" for policy in policies]
        result = found(found_role["Arn"], differences, multipart_upload_role_arn=found_role["Arn"])
        return result.adopting(adopt, unmanaged=unmanaged)
