"""master-pass-role: the platform's role may pass the worker role to instances (seed 001, statement Sid 4)."""

from __future__ import annotations

from stackyard.checks.core.base import Severity
from stackyard.checks.core.families import RolePermissionsCheck


class MasterPassRole(RolePermissionsCheck):
    id = "master-pass-role"
    title = "ValohaiMaster may iam:PassRole and iam:GetRole the worker role"
    seed = "001"
    severity = Severity.CRITICAL
    remediation = (
        "Restore ValohaiMasterPolicy's PassRole statement (Sid 4) naming the worker role: `cdktf deploy workers`"
    )
    order = 70
    role_output = "master_role_arn"
    resource_output = "worker_role_arn"
    actions = ("iam:PassRole", "iam:GetRole")
    needs_outputs = (role_output, resource_output)
