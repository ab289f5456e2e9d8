"""The one typed model of a stackyard config (YAML), shared by generation (stacks/) and verification (checks/).

Every section forbids unknown keys, so a typo is an error that names the key rather than a silently ignored value.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from stackyard.config import aws_names

AwsRegion = Annotated[str, AfterValidator(aws_names.aws_region)]
BucketName = Annotated[str, AfterValidator(aws_names.s3_bucket_name)]
IamPrincipalArn = Annotated[str, AfterValidator(aws_names.iam_principal_arn)]
IamName = Annotated[str, AfterValidator(aws_names.iam_name)]
Ipv4Cidr = Annotated[str, AfterValidator(aws_names.ipv4_cidr)]
TagKey = Annotated[
    str, Field(min_length=1, max_length=128, pattern=r"^[\w\s.:/=+@-]+$"), AfterValidator(aws_names.tag_key)
]
TagValue = Annotated[str, Field(max_length=256, pattern=r"^[\w\s.:/=+@-]*$")]
Tags = dict[TagKey, TagValue]


class Section(BaseModel):
    """Base of every config section: unknown keys are errors, values are checked on assignment too."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class AwsSettings(Section):
    """Where the infrastructure goes."""

    region: AwsRegion = Field("eu-west-1", description="AWS region for every resource (seed 000/001: eu-west-1).")
    endpoint_url: str | None = Field(
        None,
        description="One URL for every AWS service (LocalStack, moto). Also turns off the provider's credential "
        "and account-id look-ups, which emulators do not answer.",
    )

    @field_validator("endpoint_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("not an http(s) URL; expected e.g. http://127.0.0.1:5000")
        return value.rstrip("/")


class LocalBackend(Section):
    """Terraform state in a local file (cdktf's default)."""

    type: Literal["local"] = "local"
    path: str = Field(
        "terraform.{stack}.tfstate",
        description="State file path, relative to the directory you run from; {stack} is the stack name.",
    )


class S3Backend(Section):
    """Terraform state in an S3 bucket, locked with S3-native lock files (Terraform >= 1.10)."""

    type: Literal["s3"]
    bucket: BucketName = Field(description="Existing bucket that holds the state.")
    key: str = Field(
        "stackyard/{stack}.tfstate",
        description="Object key of each stack's state; must contain {stack} so stacks do not share one state.",
    )
    region: AwsRegion = Field(description="Region of the state bucket.")
    encrypt: bool = Field(True, description="Server-side encryption of the state object.")
    use_lockfile: bool = Field(True, description="S3-native state locking (no DynamoDB table needed).")

    @field_validator("key")
    @classmethod
    def _one_state_per_stack(cls, value: str) -> str:
        if "{stack}" not in value:
            raise ValueError(
                "does not contain {stack}; it must, so each stack gets its own state, e.g. stackyard/{stack}.tfstate"
            )
        return value


Backend = Annotated[LocalBackend | S3Backend, Field(discriminator="type")]


class DataStoreSettings(Section):
    """The private S3 data store of seed 000: bucket, CORS for the web app, IAM user, multipart role."""

    enabled: bool = Field(True, description="Create the data-store stack.")
    bucket_name: BucketName = Field(description="Globally unique bucket name (seed 000's my-valohai-bucket).")
    app_origin: str = Field(
        "https://app.valohai.com",
        description="Origin of the ML platform's web app; CORS allows POST uploads from it (seed 000).",
    )
    user_name: IamName = Field("valohai-data-store", description="IAM user whose keys the platform uses.")
    create_access_key: bool = Field(True, description="Create an access key for the user (seed 000).")
    pgp_key: str | None = Field(
        None,
        description="base64 PGP public key or keybase:username; when set the secret key is only output encrypted.",
    )
    multipart_upload_role: bool = Field(True, description="Create the optional role for uploads over 5 GB.")
    multipart_upload_role_name: IamName = Field("valohai-multipart-upload", description="Name of that role.")
    versioning: bool = Field(True, description="Keep previous object versions.")
    tls_only: bool = Field(True, description="Bucket policy that denies any request not made over TLS.")
    kms_key_arn: str | None = Field(
        None, description="Encrypt with this KMS key (SSE-KMS); default is S3-managed keys (SSE-S3)."
    )
    abort_incomplete_multipart_days: int = Field(
        7, ge=1, le=365, description="Days after which unfinished multipart uploads are aborted."
    )
    force_destroy: bool = Field(False, description="Let `destroy` delete a bucket that still holds objects.")

    @field_validator("app_origin")
    @classmethod
    def _origin(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
            raise ValueError("not a web origin; expected scheme and host only, e.g. https://app.valohai.com")
        return value.rstrip("/")

    @field_validator("kms_key_arn")
    @classmethod
    def _kms_arn(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+$", value):
            raise ValueError("not a KMS key ARN; expected arn:aws:kms:<region>:<account>:key/<id> or alias ARN")
        return value


class StackyardConfig(Section):
    """A whole stackyard config file."""

    aws: AwsSettings = Field(default_factory=AwsSettings)
    tags: Tags = Field(
        default_factory=lambda: {"valohai": "1"},
        description="Tags on every resource (provider default_tags); seed 001 tags everything valohai=1.",
    )
    backend: Backend = Field(default_factory=LocalBackend)
    data_store: DataStoreSettings
