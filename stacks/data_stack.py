"""The data-store stack (seed 000): private bucket with CORS, the platform's IAM user, the multipart role."""

from __future__ import annotations

from constructs import Construct

from stacks import inputs
from stacks.base import StackyardStack
from stacks.components.access_logging import AccessLogging, AccessLoggingProps
from stacks.components.multipart_upload_role import MultipartUploadRole, MultipartUploadRoleProps
from stacks.components.private_bucket import PrivateBucket, PrivateBucketProps
from stacks.components.store_user import StoreUser, StoreUserProps
from stackyard.config.adoption import StackAdoption
from stackyard.config.model import StackyardConfig


class DataStoreStack(StackyardStack):
    """Everything a data store needs; its outputs are what the platform's "Add S3 store" form asks for."""

    def __init__(self, scope: Construct, name: str, config: StackyardConfig, adoption: StackAdoption | None = None):
        super().__init__(scope, name, config, adoption)
        settings = config.data_store
        value = self.inputs.value
        bucket_name = value("bucket_name", settings.bucket_name, "Name of the data store bucket", inputs.BUCKET_NAME)
        user_name = value("user_name", settings.user_name, "IAM user the platform authenticates as", inputs.IAM_NAME)

        self.store = PrivateBucket(
            self,
            "store",
            PrivateBucketProps(
                bucket_name=bucket_name,
                versioning=settings.versioning,
                tls_only=settings.tls_only,
                kms_key_arn=settings.kms_key_arn,
                abort_incomplete_multipart_days=settings.abort_incomplete_multipart_days,
                force_destroy=settings.force_destroy,
                cors_rules=settings.cors_rules(),
            ),
        )
        bucket = self.store.bucket
        self.protect(bucket, "store-bucket")
        self.adopt(bucket, "bucket")
        logging = settings.access_logging
        if logging.enabled:
            log_bucket_name = value(
                "access_log_bucket_name",
                settings.access_log_bucket_name(),
                "Bucket the access logs go to" + (" (created here)" if logging.target_bucket is None else ""),
                inputs.BUCKET_NAME,
            )
            self.access_logging = AccessLogging(
                self,
                "access_logging",
                AccessLoggingProps(
                    source_bucket_id=bucket.id,
                    source_bucket_arn=bucket.arn,
                    account_id=self.account_id,
                    log_bucket_name=log_bucket_name,
                    create_log_bucket=logging.target_bucket is None,
                    prefix=logging.prefix,
                    retention_days=logging.retention_days,
                    tls_only=settings.tls_only,
                    force_destroy=logging.force_destroy,
                ),
            )
            if self.access_logging.log_bucket is not None:
                self.protect(self.access_logging.log_bucket.bucket, "access-log-bucket")
                self.adopt(self.access_logging.log_bucket.bucket, "access-log-bucket")
            self.output("access_log_bucket", log_bucket_name, "Bucket holding the access logs")
        # An adopted user keeps its access key: its secret cannot be read back, and a second key would be one more
        # credential to rotate.
        existing_key = self.existing("store-access-key")
        store_user = StoreUser(
            self,
            "store_user",
            StoreUserProps(
                user_name=user_name,
                bucket_arn=bucket.arn,
                create_access_key=settings.create_access_key and existing_key is None,
                pgp_key=settings.pgp_key,
            ),
        )
        self.protect(store_user.user, "store-user")
        if store_user.access_key is not None:
            self.protect(store_user.access_key, "store-access-key")
        self.adopt(store_user.user, "store-user")
        self.adopt(store_user.policy, "store-user-policy")

        self.output("bucket_name", bucket.bucket, "Bucket name for the platform's store settings")
        self.output("region", self.region, "Region of the bucket")
        self.output("user_name", store_user.user.name, "IAM user the platform authenticates as")
        if existing_key is not None:
            self.output("access_key_id", existing_key, "Access key ID for the store settings (the adopted user's own)")
        if store_user.access_key is not None:
            key = store_user.access_key
            self.output("access_key_id", key.id, "Access key ID for the store settings")
            if settings.pgp_key:
                self.output(
                    "encrypted_secret_access_key",
                    key.encrypted_secret,
                    "Secret access key, PGP-encrypted: base64 -d | gpg --decrypt",
                )
                self.output("pgp_key_fingerprint", key.key_fingerprint, "Fingerprint of the PGP key used")
            else:
                self.output("secret_access_key", key.secret, "Secret access key for the store settings", sensitive=True)
        if settings.multipart_upload_role:
            role = MultipartUploadRole(
                self,
                "multipart_upload",
                MultipartUploadRoleProps(
                    role_name=value(
                        "multipart_upload_role_name",
                        settings.multipart_upload_role_name,
                        "Role the platform assumes for multipart uploads (seed 000)",
                        inputs.IAM_NAME,
                    ),
                    bucket_arn=bucket.arn,
                    trusted_user_arn=store_user.user.arn,
                ),
            )
            self.adopt(role.role, "multipart-role")
            self.adopt(role.policy, "multipart-role-policy")
            self.output(
                "multipart_upload_role_arn", role.role.arn, "Multipart Upload IAM Role ARN for the store settings"
            )
