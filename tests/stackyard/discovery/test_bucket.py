"""bucket: the store's bucket by its configured name, its region and versioning."""

from __future__ import annotations

from stackyard.discovery.bucket import Bucket
from stackyard.discovery.core.base import State


def test_found_with_the_data_stack_outputs(find, estate):
    finding = find(Bucket, estate.endpoint)
    assert (finding.state, finding.differences) == (State.FOUND, [])
    assert finding.outputs == {"bucket_name": "my-valohai-bucket", "region": "eu-west-1"}


def test_missing_and_a_versioning_difference(find, estate, empty_account):
    assert find(Bucket, empty_account).state is State.MISSING
    unversioned = find(Bucket, estate.endpoint, config=lambda c: c["data_store"].update(versioning=False))
    assert unversioned.differences == ["versioning on, the config has False"]


def test_not_wanted_when_the_store_is_off(find, estate):
    assert find(Bucket, estate.endpoint, config=store_off).state is (State.NOT_WANTED)


def store_off(config: dict) -> None:
    config["data_store"]["enabled"] = False
    config["cluster"]["s3_mount"]["enabled"] = False  # the mount needs the store
