"""master-pass-role: ValohaiMaster may pass (and get) the worker role."""

from __future__ import annotations

import json

from stackyard.checks.core.base import Status
from stackyard.checks.master_pass_role import MasterPassRole
from tests.support.aws import emulator_client
from tests.support.deployed import REGION


def test_passes_on_the_worker_role(check_on, deployed):
    result = check_on(MasterPassRole, deployed)
    assert result.status is Status.PASS, result.detail
    worker_role = deployed.outputs()["workers"]["worker_role_arn"]
    assert f"iam:PassRole on {worker_role}: allowed" in result.detail


def test_explicit_deny_of_pass_role_fails(check_on, fresh_deployment):
    iam = emulator_client("iam", fresh_deployment.endpoint, REGION)
    master = fresh_deployment.outputs()["workers"]["master_role_arn"].rsplit("/", 1)[-1]
    deny = {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}
    iam.put_role_policy(
        RoleName=master,
        PolicyName="no-pass-role",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [deny]}),
    )
    result = check_on(MasterPassRole, fresh_deployment)
    assert result.status is Status.FAIL
    assert "iam:PassRole" in result.detail and "explicitDeny" in result.detail and "no-pass-role" in result.detail
