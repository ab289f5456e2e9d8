"""bucket: the data store's bucket, by its configured name (seed 000)."""

from __future__ import annotations

from stackyard.discovery.core.base import Finder, Refusal, Result, found, imported, missing
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.lookups import bucket_exists
from stackyard.stack_names import DATA_STACK


class Bucket(Finder):
    id = "bucket"
    title = "the data store's S3 bucket"
    stack = DATA_STACK
    order = 10

    def wanted(self, context: DiscoveryContext) -> bool:
        return context.config.data_store.enabled

    def describe(self, context: DiscoveryContext) -> str:
        return f"S3 bucket {context.config.data_store.bucket_name}"

    def find(self, context: DiscoveryContext) -> Result:
        settings, s3 = context.config.data_store, context.client("s3")
        name = settings.bucket_name
        if not bucket_exists(s3, name):
            return missing()
        differences, refusals = [], []
        region = s3.get_bucket_location(Bucket=name).get("LocationConstraint") or "us-east-1"
        if region != context.config.aws.region:
            differences.append(f"in region {region}, the config's is {context.config.aws.region}")
            refusals.append(Refusal("aws.region", context.config.aws.region, region, "move the bucket: impossible"))
        versioning = s3.get_bucket_versioning(Bucket=name).get("Status") == "Enabled"
        if versioning != settings.versioning:
            differences.append(f"versioning {'on' if versioning else 'off'}, the config has {settings.versioning}")
        result = found(name, differences, bucket_name=name, region=context.config.aws.region)
        return result.adopting({"bucket": imported(name)}, refusals)
