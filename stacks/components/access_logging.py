"""S3 server access logging: every request to a bucket, written as log objects into a separate log bucket."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from stacks import policies
from stacks.components.private_bucket import PrivateBucket, PrivateBucketProps
from stacks.engine.aws.s3_bucket_logging import S3BucketLoggingA


@dataclass(frozen=True)
class AccessLoggingProps:
    source_bucket_id: str
    """Bucket whose requests are logged."""
    source_bucket_arn: str
    """Its ARN: the log bucket only accepts logs the S3 logging service writes for this bucket."""
    account_id: str
    """Account that owns the source bucket (the delivery grant's confused-deputy guard)."""
    log_bucket_name: str
    """Bucket the logs go to."""
    create_log_bucket: bool = True
    """Create that bucket (private, encrypted, versioned, expiring); False: it exists and grants delivery."""
    prefix: str = "s3-access-logs/"
    """Key prefix of the log objects."""
    retention_days: int = 365
    """Days a created log bucket keeps each log object."""
    tls_only: bool = True
    """TLS-only policy on a created log bucket."""
    force_destroy: bool = False
    """Let `destroy` delete a created log bucket that still holds logs."""


class AccessLogging(Construct):
    """Turns on access logging for one bucket, with a log bucket made for it unless an existing one is named."""

    def __init__(self, scope: Construct, id: str, props: AccessLoggingProps):
        super().__init__(scope, id)
        self.log_bucket: PrivateBucket | None = None
        depends_on = []
        if props.create_log_bucket:
            self.log_bucket = PrivateBucket(
                self,
                "log_bucket",
                PrivateBucketProps(
                    bucket_name=props.log_bucket_name,
                    versioning=True,  # log objects cannot be silently overwritten
                    tls_only=props.tls_only,
                    # S3 delivers server access logs only into SSE-S3 buckets, never SSE-KMS.
                    kms_key_arn=None,
                    force_destroy=props.force_destroy,
                    grant_statements=lambda log_bucket_arn: [
                        policies.allow_s3_access_log_delivery(
                            log_bucket_arn=log_bucket_arn,
                            prefix=props.prefix,
                            source_bucket_arn=props.source_bucket_arn,
                            account_id=props.account_id,
                        )
                    ],
                    expire_objects_after_days=props.retention_days,
                ),
            )
            depends_on.append(self.log_bucket.policy)  # S3 checks the delivery grant when logging is turned on
        S3BucketLoggingA(
            self,
            "logging",
            bucket=props.source_bucket_id,
            target_bucket=self.log_bucket.bucket.id if self.log_bucket else props.log_bucket_name,
            target_prefix=props.prefix,
            depends_on=depends_on,
        )
