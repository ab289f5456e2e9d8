"""store-user: the user, its access key id (never a secret), and an inline policy under another name; adopted
with that name kept and the key used, not replaced."""

from __future__ import annotations

import json

from stackyard.discovery.core.base import State
from stackyard.discovery.store_user import StoreUser


def test_found_with_the_key_id_and_the_console_policy_name_as_a_difference(find, estate):
    finding = find(StoreUser, estate.endpoint)
    assert finding.state is State.FOUND
    assert finding.outputs == {"user_name": "valohai-data-store", "access_key_id": estate.ids["access_key_id"]}
    assert finding.differences == [
        "inline policy named ValohaiS3Access (stackyard's name: valohai-data-store-bucket-access); kept"
    ]
    assert "secret" not in str(finding.as_dict()).lower()


def test_adopted_under_the_console_policy_name_keeping_its_access_key(find, estate):
    resources = find(StoreUser, estate.endpoint).adoption.resources
    assert resources["store-user"].import_id == "valohai-data-store"
    policy = resources["store-user-policy"]
    assert (policy.import_id, policy.keep) == ("valohai-data-store:ValohaiS3Access", {"name": "ValohaiS3Access"})
    assert resources["store-access-key"].existing == estate.ids["access_key_id"]
    without_key = find(StoreUser, estate.endpoint, config=lambda c: c["data_store"].update(create_access_key=False))
    assert "store-access-key" not in without_key.adoption.resources, "no key in the stack: nothing to stand in for"


READ_ONE_OBJECT = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-valohai-bucket/x"}],
}


def test_several_inline_policies_are_left_alone(find, fresh_estate):
    fresh_estate.client("iam").put_user_policy(
        UserName="valohai-data-store", PolicyName="Extra", PolicyDocument=json.dumps(READ_ONE_OBJECT)
    )
    adoption = find(StoreUser, fresh_estate.endpoint).adoption
    assert "store-user-policy" not in adoption.resources
    assert sorted(adoption.unmanaged) == [
        "inline policy Extra of user valohai-data-store",
        "inline policy ValohaiS3Access of user valohai-data-store",
    ]


def test_missing_in_an_empty_account(find, empty_account):
    assert find(StoreUser, empty_account).state is State.MISSING
