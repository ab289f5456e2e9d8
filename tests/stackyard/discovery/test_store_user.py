"""store-user: the user, its access key id (never a secret), and an inline policy under another name."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.store_user import StoreUser


def test_found_with_the_key_id_and_the_console_policy_name_as_a_difference(find, estate):
    finding = find(StoreUser, estate.endpoint)
    assert finding.state is State.FOUND
    assert finding.outputs == {"user_name": "valohai-data-store", "access_key_id": estate.ids["access_key_id"]}
    assert finding.differences == ["inline policy valohai-data-store-bucket-access not there (has: ValohaiS3Access)"]
    assert "secret" not in str(finding.as_dict()).lower()


def test_missing_in_an_empty_account(find, empty_account):
    assert find(StoreUser, empty_account).state is State.MISSING
