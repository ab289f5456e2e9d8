"""worker-role: ValohaiWorkerRole, its policy and the instance profile the console names after it (seed 001)."""

from __future__ import annotations

from stackyard.discovery.core.base import Finder, Result, found, imported, missing
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.families import role_with_policy
from stackyard.discovery.core.lookups import role
from stackyard.stack_names import WORKERS_STACK


class WorkerRole(Finder):
    id = "worker-role"
    title = "the workers' role and instance profile"
    stack = WORKERS_STACK
    order = 60

    def wanted(self, context: DiscoveryContext) -> bool:
        return context.config.workers.enabled

    def describe(self, context: DiscoveryContext) -> str:
        return f"IAM role and instance profile {context.config.workers.worker_role_name}"

    def find(self, context: DiscoveryContext) -> Result:
        iam, workers = context.client("iam"), context.config.workers
        found_role = role(iam, workers.worker_role_name)
        if found_role is None:
            return missing()
        adopt, differences = role_with_policy(iam, found_role["RoleName"], workers.worker_policy_name, self.id)
        profiles = [
            p["InstanceProfileName"]
            for p in iam.list_instance_profiles_for_role(RoleName=found_role["RoleName"])["InstanceProfiles"]
        ]
        outputs = {"worker_role_arn": found_role["Arn"]}
        if workers.worker_role_name in profiles:
            outputs["worker_instance_profile_name"] = workers.worker_role_name
            adopt["worker-instance-profile"] = imported(workers.worker_role_name)
        else:
            differences.append(f"no instance profile named {workers.worker_role_name} (has: {profiles or 'none'})")
        return found(found_role["Arn"], differences, **outputs).adopting(adopt)
