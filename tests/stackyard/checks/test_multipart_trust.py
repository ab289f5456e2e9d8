"""multipart-trust: the multipart-upload role trusts the store user and nobody else."""

from __future__ import annotations

import json

from stackyard.checks.core.base import Status
from stackyard.checks.multipart_trust import MultipartTrust
from tests.support.aws import emulator_client
from tests.support.deployed import REGION


def test_passes_when_only_the_store_user_is_trusted(check_on, deployed):
    result = check_on(MultipartTrust, deployed)
    assert result.status is Status.PASS, result.detail
    assert "only the store user arn:aws:iam::123456789012:user/valohai-data-store" in result.detail


def test_a_second_trusted_principal_fails(check_on, fresh_deployment):
    iam = emulator_client("iam", fresh_deployment.endpoint, REGION)
    role_name = fresh_deployment.outputs()["data"]["multipart_upload_role_arn"].rsplit("/", 1)[-1]
    intruder = "arn:aws:iam::210987654321:root"
    trust = json.loads(json.dumps(iam.get_role(RoleName=role_name)["Role"]["AssumeRolePolicyDocument"]))
    trust["Statement"][0]["Principal"]["AWS"] = [trust["Statement"][0]["Principal"]["AWS"], intruder]
    iam.update_assume_role_policy(RoleName=role_name, PolicyDocument=json.dumps(trust))
    result = check_on(MultipartTrust, fresh_deployment)
    assert result.status is Status.FAIL and intruder in result.detail


def test_skipped_without_the_role(check_on, deployed):
    result = check_on(MultipartTrust, deployed, outputs=lambda o: o["data"].pop("multipart_upload_role_arn"))
    assert result.status is Status.SKIP and "multipart_upload_role_arn" in result.detail
