"""access-log-bucket: the console steps make none; found once it exists."""

from __future__ import annotations

from stackyard.discovery.access_log_bucket import AccessLogBucket
from stackyard.discovery.core.base import State


def test_missing_where_the_seed_made_none_then_found(find, fresh_estate):
    assert find(AccessLogBucket, fresh_estate.endpoint).state is State.MISSING
    fresh_estate.client("s3").create_bucket(
        Bucket="my-valohai-bucket-access-logs", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    finding = find(AccessLogBucket, fresh_estate.endpoint)
    assert finding.state is State.FOUND and finding.outputs == {"access_log_bucket": "my-valohai-bucket-access-logs"}
