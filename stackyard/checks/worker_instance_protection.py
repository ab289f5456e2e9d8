"""worker-instance-protection: workers may protect themselves from scale-in and describe instances (seed 001)."""

from __future__ import annotations

from stackyard.checks.core.base import Severity
from stackyard.checks.core.families import RolePermissionsCheck


class WorkerInstanceProtection(RolePermissionsCheck):
    id = "worker-instance-protection"
    title = "ValohaiWorkerRole is allowed SetInstanceProtection and DescribeInstances"
    seed = "001"
    severity = Severity.HIGH
    remediation = "Attach ValohaiWorkerPolicy (seed 001) to ValohaiWorkerRole: `cdktf deploy workers`"
    order = 60
    role_output = "worker_role_arn"
    actions = ("autoscaling:SetInstanceProtection", "ec2:DescribeInstances")
    needs_outputs = (role_output,)
