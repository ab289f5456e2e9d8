"""master-role: ValohaiMaster, its policy, and whom it trusts (seed 001)."""

from __future__ import annotations

from stackyard.aws.iam_documents import trusted_principals
from stackyard.discovery.core.base import Finder, Result, found, imported, missing
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.lookups import attached_policies, role
from stackyard.stack_names import WORKERS_STACK


class MasterRole(Finder):
    id = "master-role"
    title = "the role the platform assumes"
    stack = WORKERS_STACK
    order = 80

    def wanted(self, context: DiscoveryContext) -> bool:
        return context.config.workers.enabled

    def describe(self, context: DiscoveryContext) -> str:
        return f"IAM role {context.config.workers.master_role_name}"

    def find(self, context: DiscoveryContext) -> Result:
        iam, workers = context.client("iam"), context.config.workers
        found_role = role(iam, workers.master_role_name)
        if found_role is None:
            return missing()
        differences = []
        principals = trusted_principals(found_role["AssumeRolePolicyDocument"])
        if principals != [workers.assume_role_arn]:
            differences.append(f"trusts {principals or 'nobody'}, the config: {workers.assume_role_arn}")
        name = found_role["RoleName"]
        adopt = {"master-role": imported(name)}
        attached = attached_policies(iam, name)
        if workers.master_policy_name in attached:
            adopt["master-policy-attachment"] = imported(f"{name}/{attached[workers.master_policy_name]}")
        else:
            differences.append(f"{workers.master_policy_name} not attached (has: {', '.join(attached) or 'none'})")
        result = found(
            found_role["Arn"], differences, master_role_arn=found_role["Arn"], region=context.config.aws.region
        )
        return result.adopting(adopt)
