"""worker-instance-protection: ValohaiWorkerRole may protect itself and describe instances."""

from __future__ import annotations

import json

from stackyard.checks.core.base import Status
from stackyard.checks.worker_instance_protection import WorkerInstanceProtection
from tests.support.aws import emulator_client
from tests.support.deployed import REGION


def test_passes_and_says_it_evaluated_locally_where_the_simulator_is_missing(check_on, deployed):
    result = check_on(WorkerInstanceProtection, deployed)
    assert result.status is Status.PASS, result.detail
    assert "evaluated locally" in result.detail
    assert result.evidence["decisions"] == {
        "autoscaling:SetInstanceProtection": "allowed",
        "ec2:DescribeInstances": "allowed",
    }


def test_policy_without_set_instance_protection_fails(check_on, fresh_deployment):
    iam = emulator_client("iam", fresh_deployment.endpoint, REGION)
    policy = next(p for p in iam.list_policies(Scope="Local")["Policies"] if p["PolicyName"] == "ValohaiWorkerPolicy")
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "2", "Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"}],
    }
    iam.create_policy_version(PolicyArn=policy["Arn"], PolicyDocument=json.dumps(document), SetAsDefault=True)
    result = check_on(WorkerInstanceProtection, fresh_deployment)
    assert result.status is Status.FAIL
    assert "autoscaling:SetInstanceProtection on *: implicitDeny" in result.detail
