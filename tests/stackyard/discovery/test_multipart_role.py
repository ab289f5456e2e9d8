"""multipart-role: the role and whom it trusts."""

from __future__ import annotations

import json

from stackyard.discovery.core.base import State
from stackyard.discovery.multipart_role import MultipartRole


def test_found_trusting_the_store_user(find, estate):
    finding = find(MultipartRole, estate.endpoint)
    assert (finding.state, finding.differences) == (State.FOUND, [])
    assert finding.outputs["multipart_upload_role_arn"].endswith(":role/valohai-multipart-upload")


def test_a_role_trusting_someone_else_is_a_difference(find, fresh_estate, empty_account):
    assert find(MultipartRole, empty_account).state is State.MISSING
    other = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "sts:AssumeRole"}
        ],
    }
    fresh_estate.client("iam").update_assume_role_policy(
        RoleName="valohai-multipart-upload", PolicyDocument=json.dumps(other)
    )
    finding = find(MultipartRole, fresh_estate.endpoint)
    assert finding.state is State.FOUND and "trusts ['arn:aws:iam::210987654321:root']" in finding.differences[0]
