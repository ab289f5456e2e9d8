"""master-role: ValohaiMaster, its policy, and whom it trusts (seed 001)."""

from __future__ import annotations

from stackyard.aws.iam_documents import trusted_principals
from stackyard.discovery.core.base import Finder, Result, found, missing
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.families import role_with_policy
from stackyard.discovery.core.lookups import role
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
        adopt, unattached = role_with_policy(iam, found_role["RoleName"], workers.master_policy_name, self.id)
        differences += unattached
        result = found(
            found_role["Arn"], differences, master_role_arn=found_role["Arn"], region=context.config.aws.region
        )
        return result.adopting(adopt)
