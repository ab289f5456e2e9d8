"""access-log-bucket: the bucket the store's access logs go to."""

from __future__ import annotations

from stackyard.discovery.core.base import Finder, Result, found, imported, missing
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.lookups import bucket_exists
from stackyard.stack_names import DATA_STACK


class AccessLogBucket(Finder):
    id = "access-log-bucket"
    title = "the bucket of the store's access logs"
    stack = DATA_STACK
    order = 20

    def wanted(self, context: DiscoveryContext) -> bool:
        return context.config.data_store.enabled and context.config.data_store.access_logging.enabled

    def describe(self, context: DiscoveryContext) -> str:
        return f"S3 bucket {context.config.data_store.access_log_bucket_name()} (access logs)"

    def find(self, context: DiscoveryContext) -> Result:
        name = context.config.data_store.access_log_bucket_name()
        if not bucket_exists(context.client("s3"), name):
            return missing()
        result = found(name, access_log_bucket=name)
        if context.config.data_store.access_logging.target_bucket is not None:
            return result  # a bucket of the user's own: the stack only points at it
        return result.adopting({"access-log-bucket": imported(name)})
