"""The one typed model of a stackyard config (YAML), shared by generation (stacks/) and verification (checks).

Every section forbids unknown keys, so a typo is an error that names the key rather than a silently ignored value.
"""

from __future__ import annotations

import base64
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from stackyard.config import aws_names, patterns
from stackyard.config.errors import describe_error, raise_every_problem

AwsRegion = Annotated[str, AfterValidator(aws_names.aws_region)]
BucketName = Annotated[str, AfterValidator(aws_names.s3_bucket_name)]
IamPrincipalArn = Annotated[str, AfterValidator(aws_names.iam_principal_arn)]
IamName = Annotated[str, AfterValidator(aws_names.iam_name)]
KmsKeyArn = Annotated[str, AfterValidator(aws_names.kms_key_arn)]
RetentionDays = Annotated[int, AfterValidator(aws_names.cloudwatch_retention_days)]
Ipv4Cidr = Annotated[str, AfterValidator(aws_names.ipv4_cidr)]
AwsProfile = Annotated[str, Field(pattern=patterns.AWS_PROFILE.regex)]
AwsAccountId = Annotated[str, Field(pattern=patterns.AWS_ACCOUNT_ID.regex)]
TagKey = Annotated[
    str, Field(min_length=1, max_length=128, pattern=patterns.TAG_KEY.regex), AfterValidator(aws_names.tag_key)
]
TagValue = Annotated[str, Field(max_length=256, pattern=patterns.TAG_VALUE.regex)]
Tags = dict[TagKey, TagValue]
_OPENSSH_PUBLIC_KEY = re.compile(r"^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( \S.*)?$")


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

    profile: AwsProfile | None = Field(None, description="Named profile of your AWS config/credentials files.")
    account_id: AwsAccountId | None = Field(
        None, description="Refuse to plan or apply with any other account's credentials (allowed_account_ids)."
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


ACCESS_LOG_BUCKET_SUFFIX = "-access-logs"


@dataclass(frozen=True)
class CorsRule:
    """One S3 CORS rule, seed 000's JSON field for field: the stacks write it, the store-cors check expects it."""

    allowed_methods: list[str]
    allowed_origins: list[str]
    allowed_headers: list[str] = field(default_factory=lambda: ["Authorization"])
    expose_headers: list[str] = field(default_factory=list)
    max_age_seconds: int = 3000

    def as_s3(self) -> dict[str, Any]:
        """The rule as S3's API (GetBucketCors) spells it."""
        return {
            "AllowedHeaders": self.allowed_headers,
            "AllowedMethods": self.allowed_methods,
            "AllowedOrigins": self.allowed_origins,
            "ExposeHeaders": self.expose_headers,
            "MaxAgeSeconds": self.max_age_seconds,
        }


class AccessLoggingSettings(Section):
    """S3 server access logs of the store bucket: who read or wrote which object, for audits and incidents."""

    enabled: bool = Field(True, description="Log every request to the store bucket.")
    target_bucket: BucketName | None = Field(
        None,
        description="Existing bucket (same region, granting logging.s3.amazonaws.com) to log into; "
        "null: create <bucket_name>-access-logs.",
    )
    prefix: str = Field(
        "s3-access-logs/", pattern=patterns.LOG_PREFIX.regex, description="Key prefix of the log objects."
    )
    retention_days: int = Field(
        365, ge=1, le=3650, description="Days the created log bucket keeps a log object before deleting it."
    )
    force_destroy: bool = Field(
        True,
        description="Let `destroy` delete the created log bucket with the logs in it (S3 keeps delivering logs, so "
        "it is never empty); false keeps the stack from being destroyed until you empty it.",
    )


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
    kms_key_arn: KmsKeyArn | None = Field(
        None, description="Encrypt with this KMS key (SSE-KMS); default is S3-managed keys (SSE-S3)."
    )
    abort_incomplete_multipart_days: int = Field(
        7, ge=1, le=365, description="Days after which unfinished multipart uploads are aborted."
    )
    force_destroy: bool = Field(False, description="Let `destroy` delete a bucket that still holds objects.")
    access_logging: AccessLoggingSettings = Field(default_factory=AccessLoggingSettings)

    @field_validator("pgp_key")
    @classmethod
    def _pgp_key(cls, value: str | None) -> str | None:
        if value is None or re.fullmatch(r"keybase:[A-Za-z0-9_]{2,16}", value):
            return value
        try:
            decoded = base64.b64decode(value, validate=True)
        except ValueError:
            decoded = b""
        if not 32 <= len(decoded) <= 65536:
            raise ValueError(
                "not a PGP public key; give keybase:<username> or the base64 key (gpg --export <id> | base64 -w0)"
            )
        return value

    @field_validator("app_origin")
    @classmethod
    def _origin(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
            raise ValueError("not a web origin; expected scheme and host only, e.g. https://app.valohai.com")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _access_log_bucket_name(self) -> DataStoreSettings:
        logging = self.access_logging
        if not logging.enabled:
            return self
        if logging.target_bucket == self.bucket_name:
            raise ValueError(
                "access_logging.target_bucket: the bucket cannot log into itself (every log write would be logged); "
                "name another bucket or leave it null to create one"
            )
        if logging.target_bucket is None and len(self.access_log_bucket_name()) > 63:
            raise ValueError(
                f"access_logging.target_bucket: the log bucket would be named {self.access_log_bucket_name()!r}, "
                "over S3's 63 characters; shorten bucket_name or name an existing log bucket"
            )
        return self

    def cors_rules(self) -> tuple[CorsRule, ...]:
        """Seed 000's two rules: anyone may GET, only the web app may POST uploads."""
        return (
            CorsRule(allowed_methods=["GET"], allowed_origins=["*"]),
            CorsRule(allowed_methods=["POST"], allowed_origins=[self.app_origin]),
        )

    def access_log_bucket_name(self) -> str:
        """Where access logs go: the named bucket, else a new one named after the store."""
        return self.access_logging.target_bucket or f"{self.bucket_name}{ACCESS_LOG_BUCKET_SUFFIX}"


class WorkersSettings(Section):
    """Hybrid-worker IAM of seed 001: the role workers run as and the role the platform assumes."""

    enabled: bool = Field(True, description="Create the `workers` stack (IAM, network, security groups, queue).")
    assume_role_arn: IamPrincipalArn | None = Field(
        None,
        description="The platform's AssumeRole ARN (ask your Valohai contact); the only principal trusted by "
        "ValohaiMaster. Required when enabled.",
    )
    external_id: str | None = Field(
        None,
        min_length=2,
        max_length=1224,
        pattern=patterns.EXTERNAL_ID.regex,
        description="Require this sts:ExternalId.",
    )
    grant_provisioning_access: bool = Field(
        False,
        description="Seed 001 option 2: attach AmazonEC2FullAccess and AmazonVPCFullAccess to ValohaiMaster so the "
        "platform can create the network and queue itself.",
    )
    worker_role_name: IamName = Field("ValohaiWorkerRole", description="Role (and instance profile) of the workers.")
    worker_policy_name: IamName = Field("ValohaiWorkerPolicy", description="Managed policy of the workers.")
    master_role_name: IamName = Field("ValohaiMaster", description="Role the platform assumes.")
    master_policy_name: IamName = Field("ValohaiMasterPolicy", description="Managed policy of that role.")

    @model_validator(mode="after")
    def _assume_role_when_enabled(self) -> WorkersSettings:
        if self.enabled and self.assume_role_arn is None:
            raise ValueError(
                "assume_role_arn: required when the workers stack is enabled; ask your Valohai contact for the "
                "AssumeRole ARN (arn:aws:iam::<account>:role/<name>), or set workers.enabled: false"
            )
        return self


class ExistingNetwork(Section):
    """Bring your own network: nothing of the network is created, these ids are used."""

    vpc_id: str = Field(pattern=patterns.VPC_ID.regex, description="Existing VPC id.")
    subnet_ids: list[Annotated[str, Field(pattern=patterns.SUBNET_ID.regex)]] = Field(
        min_length=1, description="Existing subnet ids in that VPC; the queue goes into the first."
    )


class FlowLogSettings(Section):
    """VPC flow logs into CloudWatch Logs: which addresses talked to which ports, kept for incident response."""

    enabled: bool = Field(True, description="Record the created VPC's traffic (not applied to an existing VPC).")
    traffic_type: Literal["ALL", "ACCEPT", "REJECT"] = Field("ALL", description="Which traffic to record.")
    retention_days: RetentionDays = Field(365, description="Days CloudWatch Logs keeps the records.")
    kms_key_arn: KmsKeyArn | None = Field(
        None, description="Encrypt the log group with this KMS key (its policy must allow logs.<region>...)."
    )


class NetworkSettings(Section):
    """Seed 001's VPC: one public subnet per availability zone, an internet gateway and a route table."""

    vpc_cidr: Ipv4Cidr = Field("10.0.0.0/16", description="VPC address range.")
    availability_zone_count: int = Field(
        4, ge=1, le=16, description="Subnets to create, one per zone of the region (wrapping if it has fewer)."
    )
    subnet_prefix_length: int = Field(20, ge=16, le=28, description="Size of each subnet (/20 in seed 001).")
    subnet_cidrs: list[Ipv4Cidr] | None = Field(
        None, description="Explicit subnet ranges, one per zone; default: carved in order from vpc_cidr."
    )
    name_prefix: str = Field(
        "valohai", pattern=patterns.NAME_PREFIX.regex, description="Names: <prefix>-vpc, <prefix>-subnet-N, ..."
    )
    map_public_ip_on_launch: bool = Field(
        True, description="Workers get public IPs: these subnets reach the internet through the gateway, no NAT."
    )
    availability_zones: list[Annotated[str, Field(pattern=patterns.AVAILABILITY_ZONE.regex)]] | None = Field(
        None,
        min_length=1,
        description="Zone names for the subnets, in order (wrapping); pinning them keeps the subnets in place if "
        "AWS adds a zone. null: the region's available zones.",
    )
    existing: ExistingNetwork | None = Field(None, description="Use an existing VPC and subnets instead.")
    flow_logs: FlowLogSettings = Field(default_factory=FlowLogSettings)

    @model_validator(mode="after")
    def _subnets_fit(self) -> NetworkSettings:
        vpc = ipaddress.IPv4Network(self.vpc_cidr)
        if self.subnet_cidrs is not None:
            self._check_explicit_subnets(vpc)
            return self
        if self.subnet_prefix_length < vpc.prefixlen:
            raise ValueError(
                f"subnet_prefix_length: /{self.subnet_prefix_length} is larger than the VPC {self.vpc_cidr}; "
                f"use a prefix length of at least {vpc.prefixlen}"
            )
        fits = 2 ** (self.subnet_prefix_length - vpc.prefixlen)
        if fits < self.availability_zone_count:
            raise ValueError(
                f"availability_zone_count: {self.availability_zone_count} subnets of /{self.subnet_prefix_length} "
                f"do not fit in {self.vpc_cidr} (room for {fits}); use a larger vpc_cidr, a longer "
                "subnet_prefix_length or fewer zones"
            )
        return self

    def _check_explicit_subnets(self, vpc: ipaddress.IPv4Network) -> None:
        subnets = [ipaddress.IPv4Network(cidr) for cidr in self.subnet_cidrs or []]
        if len(subnets) != self.availability_zone_count:
            raise ValueError(
                f"subnet_cidrs: {len(subnets)} ranges for availability_zone_count {self.availability_zone_count}; "
                "give one range per zone"
            )
        for subnet in subnets:
            if not subnet.subnet_of(vpc):
                raise ValueError(f"subnet_cidrs: {subnet} is outside vpc_cidr {vpc}; use ranges inside it")
            if subnet.prefixlen > 28:
                raise ValueError(f"subnet_cidrs: {subnet} is smaller than /28, the smallest subnet AWS allows")
        for index, subnet in enumerate(subnets):
            for other in subnets[index + 1 :]:
                if subnet.overlaps(other):
                    raise ValueError(f"subnet_cidrs: {subnet} overlaps {other}; subnets must not share addresses")

    def resolved_subnet_cidrs(self) -> list[str]:
        """The explicit ranges, else the first N of the chosen size in order (seed 001: 10.0.0.0/20, 10.0.16.0/20)."""
        if self.subnet_cidrs is not None:
            return list(self.subnet_cidrs)
        subnets = ipaddress.IPv4Network(self.vpc_cidr).subnets(new_prefix=self.subnet_prefix_length)
        return [str(next(subnets)) for _ in range(self.availability_zone_count)]


class FirewallSettings(Section):
    """Sources of the security-group rules of seed 001 (the platform's addresses are its documented ones)."""

    app_cidr: Ipv4Cidr = Field("34.248.245.191/32", description="app.valohai.com, connecting to Redis over TLS.")
    valohai_ssh_cidr: Ipv4Cidr = Field("3.251.38.215/32", description="The platform's SSH management address.")
    workers_ssh_from_valohai: bool = Field(True, description="Optional rule: SSH to the workers from the platform.")
    acme_http: bool = Field(True, description="Port 80 open to the world on the queue, for ACME HTTP-01 certificates.")
    redis_tls_port: int = Field(63790, ge=1, le=65535, description="Redis-over-TLS port of the queue.")


class KeyPairSettings(Section):
    """The queue's EC2 key pair: an existing one by name, or one created from your public key."""

    name: str = Field(
        "valohai-queue", min_length=1, max_length=255, description="Key pair name in EC2 (recorded for handoff)."
    )
    public_key: str | None = Field(None, description="OpenSSH public key to create the key pair from.")
    public_key_file: str | None = Field(None, description="File holding that public key (e.g. ~/.ssh/queue.pub).")

    @field_validator("public_key")
    @classmethod
    def _openssh_key(cls, value: str | None) -> str | None:
        if value is not None and not _OPENSSH_PUBLIC_KEY.match(value.strip()):
            raise ValueError("not an OpenSSH public key; expected 'ssh-ed25519 AAAA...' or 'ssh-rsa AAAA...'")
        return value.strip() if value else value

    @model_validator(mode="after")
    def _one_source(self) -> KeyPairSettings:
        if self.public_key and self.public_key_file:
            raise ValueError("public_key_file: give public_key or public_key_file, not both")
        return self

    def resolved_public_key(self) -> str | None:
        """The public key to create the pair from; None means the pair already exists in EC2."""
        if self.public_key_file is None:
            return self.public_key
        return Path(self.public_key_file).expanduser().read_text(encoding="utf-8").strip()


LETS_ENCRYPT_PRODUCTION = "https://acme-v02.api.letsencrypt.org/directory"
LETS_ENCRYPT_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory"


class QueueSettings(Section):
    """The worker-queue instance of seed 001: Redis over TLS for jobs and short-term logs."""

    enabled: bool = Field(True, description="Create the queue instance and its Elastic IP.")
    installed_by: Literal["valohai", "customer"] = Field(
        "valohai",
        description="Who installs the queue software: the platform over SSH (valohai), or the instance itself at "
        "first boot (customer: Redis over TLS, an ACME certificate, the password in Secrets Manager).",
    )
    admin_ssh_cidr: Ipv4Cidr | None = Field(None, description="Your address for SSH when installed_by is customer.")
    address: str | None = Field(
        None,
        max_length=253,
        pattern=patterns.DNS_HOSTNAME.regex,
        description="customer: the queue's DNS name the platform gave you (e.g. my-queue.vqueue.net), pointing at "
        "its Elastic IP; the certificate is issued for it and verify connects to it.",
    )
    acme_email: str | None = Field(
        None,
        pattern=patterns.EMAIL_ADDRESS.regex,
        description="customer: the ACME account's email (expiry warnings); null registers without one.",
    )
    acme_directory: str = Field(
        LETS_ENCRYPT_PRODUCTION,
        description=f"customer: the ACME server; Let's Encrypt production, or its staging {LETS_ENCRYPT_STAGING} "
        "for trials (its certificates are not trusted).",
    )
    redis_version: int = Field(
        7, ge=7, le=8, description="customer: Redis major version, from the Redis apt repository."
    )
    role_name: IamName = Field(
        "ValohaiQueueRole", description="customer: the queue's instance role (reads and first sets its password)."
    )
    password_secret_name: str = Field(
        "valohai-queue-redis-password",
        max_length=512,
        pattern=patterns.SECRET_NAME.regex,
        description="customer: Secrets Manager secret holding the Redis password (its value is made on the instance).",
    )
    password_kms_key_arn: KmsKeyArn | None = Field(
        None, description="customer: KMS key encrypting the secret; null: Secrets Manager's AWS-managed key."
    )
    password_recovery_days: int = Field(
        7, description="customer: days a deleted secret can be restored (0: deleted at once, or 7 to 30)."
    )
    password_readers: list[IamPrincipalArn] = Field(
        default_factory=list,
        description="customer: principals also allowed to read the password (e.g. your admin role, for verify); "
        "the queue's role and ValohaiMaster always may, everyone else is denied.",
    )
    instance_type: str = Field("t3.medium", pattern=patterns.INSTANCE_TYPE.regex, description="2 vCPU, 4 GB.")
    ami_id: str | None = Field(
        None, pattern=patterns.AMI_ID.regex, description="Pin an AMI; default: latest Ubuntu 20.04 from Canonical."
    )
    disk_size_gb: int = Field(16, ge=8, le=16384, description="Root disk (gp3, encrypted).")
    detailed_monitoring: bool = Field(True, description="1-minute CloudWatch metrics (moto cannot emulate them).")
    key_pair: KeyPairSettings = Field(default_factory=KeyPairSettings)

    @field_validator("acme_directory")
    @classmethod
    def _https_directory(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError(f"not an https URL of an ACME directory; e.g. {LETS_ENCRYPT_PRODUCTION}")
        return value

    @field_validator("password_recovery_days")
    @classmethod
    def _recovery_window(cls, value: int) -> int:
        if value != 0 and not 7 <= value <= 30:
            raise ValueError("Secrets Manager allows 0 (delete at once) or 7 to 30 days")
        return value

    @model_validator(mode="after")
    def _customer_install_needs(self) -> QueueSettings:
        problems = []
        if self.installed_by == "customer" and self.admin_ssh_cidr is None:
            problems.append(
                "admin_ssh_cidr: required when installed_by is customer; give your IP for SSH, e.g. 203.0.113.7/32"
            )
        if self.installed_by == "customer" and self.enabled and self.address is None:
            problems.append(
                "address: required when installed_by is customer; give the DNS name the platform gave the queue "
                "(e.g. my-queue.vqueue.net): its certificate is issued for that name"
            )
        raise_every_problem("QueueSettings", *problems)
        return self

    def installs_itself(self) -> bool:
        """Whether the queue sets itself up at first boot (installed_by customer), with a role and a secret."""
        return self.enabled and self.installed_by == "customer"


class S3MountSettings(Section):
    """Seed 002: the data bucket mounted on every cluster instance with s3fs, authenticated by the instance role."""

    enabled: bool = Field(True, description="Mount the data store's bucket (needs data_store.enabled).")
    path: str = Field("/s3-mount", pattern=patterns.ABSOLUTE_PATH.regex, description="Mount point.")
    read_only: bool = Field(True, description="Mount read-only; the instance role then only gets read access.")
    cache_dir: str | None = Field(
        "/var/cache/s3fs",
        pattern=patterns.ABSOLUTE_PATH.regex,
        description="s3fs use_cache directory; null: no local cache.",
    )


SETUP_CMDS_MAX_BYTES = 10_000


class ClusterSettings(Section):
    """A flambé-style training cluster (seed 004's AWSCluster): one orchestrator and N factories."""

    enabled: bool = Field(True, description="Create the `cluster` stack.")
    name: str = Field(
        "my-cluster", pattern=patterns.CLUSTER_NAME.regex, description="Cluster name; all names derive from it."
    )
    factories_num: int = Field(2, ge=0, le=100, description="Number of factory instances.")
    factories_type: str = Field("t3.small", pattern=patterns.INSTANCE_TYPE.regex, description="Factory type.")
    orchestrator_type: str = Field("t3.small", pattern=patterns.INSTANCE_TYPE.regex, description="Orchestrator type.")
    orchestrator_timeout: int = Field(
        -1, ge=-1, le=168, description="Hours of idle CPU before the orchestrator is stopped; -1 never, 0 five minutes."
    )
    factories_timeout: int = Field(
        1, ge=-1, le=168, description="Same for each factory; must not outlive the orchestrator (flambé's rule)."
    )
    creator: str | None = Field(
        None, min_length=1, max_length=256, description="flambé's creator tag (you); required when enabled."
    )
    key_name: str | None = Field(
        None, min_length=1, max_length=255, description="Existing EC2 key pair for SSH; required when enabled."
    )
    key: str | None = Field(
        None, min_length=1, description="Path of that key's .pem (mode 400); required when enabled."
    )
    username: str = Field("ubuntu", pattern=patterns.UNIX_USER.regex, description="SSH user of the image.")
    tags: Tags = Field(default_factory=dict, description="Extra tags on every cluster instance.")
    subnet_id: str | None = Field(
        None, pattern=patterns.SUBNET_ID.regex, description="Existing subnet; default: the workers stack's first."
    )
    security_group: str | None = Field(
        None, pattern=patterns.SECURITY_GROUP_ID.regex, description="Existing security group; default: one is created."
    )
    access_cidrs: list[Ipv4Cidr] = Field(
        default_factory=list,
        description="Who may reach SSH (22), TensorBoard (49556) and the report site (49558) of a created group.",
    )
    volume_size: int = Field(100, ge=8, le=16384, description="Root disk of each instance, GB.")
    volume_type: Literal["gp3", "gp2", "io1", "io2", "st1", "sc1"] = Field("gp3", description="Root disk type.")
    ami_id: str | None = Field(None, pattern=patterns.AMI_ID.regex, description="Pin one AMI for every instance.")
    orchestrator_ami: str | None = Field(None, pattern=patterns.AMI_ID.regex, description="flambé: orchestrator AMI.")
    factory_ami: str | None = Field(None, pattern=patterns.AMI_ID.regex, description="flambé: factory AMI.")
    ubuntu_release: Literal["20.04", "22.04", "24.04"] = Field(
        "24.04", description="Ubuntu LTS looked up from Canonical when no AMI is pinned."
    )
    dedicated: bool = Field(False, description="flambé: dedicated-tenancy instances.")
    setup_cmds: list[Annotated[str, Field(min_length=1, max_length=4096)]] = Field(
        default_factory=list, description="flambé: idempotent commands run at first boot."
    )
    shutdown_action: Literal["stop", "terminate"] = Field("stop", description="What an idle-timeout alarm does.")
    detailed_monitoring: bool = Field(True, description="1-minute CloudWatch metrics (moto cannot emulate them).")
    s3_mount: S3MountSettings = Field(default_factory=S3MountSettings)

    @field_validator("tags")
    @classmethod
    def _flambe_owned_tags(cls, value: dict[str, str]) -> dict[str, str]:
        reserved = {"creator", "name", "purpose", "cluster-name", "role"}
        clashes = sorted(key for key in value if key.lower() in reserved)
        if clashes:
            raise ValueError(f"tags {clashes} are set by the cluster itself (flambé's rule); remove them")
        return value

    @field_validator("access_cidrs")
    @classmethod
    def _not_the_whole_internet(cls, value: list[str]) -> list[str]:
        if any(cidr.endswith("/0") for cidr in value):
            raise ValueError("must not contain a /0 range (SSH open to the internet); list your own address ranges")
        return value

    @model_validator(mode="after")
    def _rules(self) -> ClusterSettings:
        raise_every_problem(
            "ClusterSettings",
            self._identity_problem(),
            self._access_problem(),
            self._timeout_problem(),
            self._setup_size_problem(),
            self._s3fs_release_problem(),
        )
        return self

    def _identity_problem(self) -> str | None:
        # flambé requires these three; a default would be someone else's name, key pair and key file.
        missing = [name for name in ("creator", "key_name", "key") if getattr(self, name) is None]
        if self.enabled and missing:
            return (
                f"{missing[0]}: required when the cluster is enabled ({', '.join(missing)} missing): creator is "
                "flambé's owner tag (e.g. your email), key_name an existing EC2 key pair, key the path of its .pem"
            )
        return None

    def _access_problem(self) -> str | None:
        if self.enabled and self.security_group is None and not self.access_cidrs:
            return (
                "access_cidrs: needed to create the cluster's security group (SSH, TensorBoard, report site); "
                "list your address ranges, e.g. [198.51.100.0/24], or give an existing security_group"
            )
        return None

    def _timeout_problem(self) -> str | None:
        if self.orchestrator_timeout > -1 and (
            self.factories_timeout == -1 or self.factories_timeout > self.orchestrator_timeout
        ):
            return (
                f"factories_timeout: {self.factories_timeout} outlives orchestrator_timeout "
                f"{self.orchestrator_timeout}; factories can't be stopped after the orchestrator (flambé's rule), "
                f"use a value from 0 to {self.orchestrator_timeout}"
            )
        return None

    def _setup_size_problem(self) -> str | None:
        # EC2 refuses user data over 16 KB; the first-boot script around the commands takes ~4 KB.
        total = sum(len(command.encode()) + 1 for command in self.setup_cmds)
        if total > SETUP_CMDS_MAX_BYTES:
            return (
                f"setup_cmds: {total} bytes of commands, over the {SETUP_CMDS_MAX_BYTES} that fit in EC2's 16 KB "
                "user data; put the steps in a script (in the image or the bucket) and run that"
            )
        return None

    def _s3fs_release_problem(self) -> str | None:
        if self.enabled and self.s3_mount.enabled and self.needs_image_lookup() and self.ubuntu_release == "20.04":
            return (
                "ubuntu_release: 20.04 ships s3fs 1.86, which cannot read the instance role's credentials with "
                "IMDSv2 required; use 22.04 or 24.04, or turn s3_mount off"
            )
        return None

    def image_for(self, role: Literal["orchestrator", "factory"]) -> str | None:
        """The pinned AMI of that role, if any (flambé's per-role AMI wins over ami_id)."""
        return (self.orchestrator_ami if role == "orchestrator" else self.factory_ami) or self.ami_id

    def needs_image_lookup(self) -> bool:
        """Whether some instance has no pinned AMI and so runs Canonical's Ubuntu <ubuntu_release>."""
        return not self.image_for("orchestrator") or (self.factories_num > 0 and not self.image_for("factory"))


class ProtectionSettings(Section):
    """What a deploy may delete or replace (README "Protected resources"): nothing that holds data, traffic,
    identity or secrets unless named here."""

    allow_replace: list[Annotated[str, Field(pattern=patterns.PROTECTED_NAME.regex)]] = Field(
        default_factory=list,
        description="Protected resources a deploy may delete or replace, by name (e.g. queue-instance; an adopted "
        "resource by its adoption slot); `stackyard plan` lists the names.",
    )
    teardown: bool = Field(
        False,
        description="Lift every protection, so that a plain `cdktf destroy` can remove everything; `stackyard "
        "destroy` needs no such switch.",
    )

    def allows(self, name: str) -> bool:
        return self.teardown or name in self.allow_replace


class EnvironmentSettings(Section):
    """One environment: the whole config again, with its own region/account and any values overridden."""

    name: str = Field(
        pattern=patterns.ENVIRONMENT_NAME.regex,
        description="Stack-name prefix: <name>-data, <name>-workers, <name>-cluster.",
    )
    region: AwsRegion | None = Field(None, description="aws.region of this environment (default: the top-level one).")
    profile: AwsProfile | None = Field(None, description="aws.profile of this environment.")
    account_id: AwsAccountId | None = Field(None, description="aws.account_id of this environment.")
    overrides: dict[str, Any] = Field(
        default_factory=dict, description="Sections and values that differ here, merged over the top-level ones."
    )


def _merged(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overrides.items():
        both_sections = isinstance(value, dict) and isinstance(base.get(key), dict)
        merged[key] = _merged(base[key], value) if both_sections else value
    return merged


ENVIRONMENT_PINS = ("region", "profile", "account_id")


def environment_data(base: dict[str, Any], environment: dict[str, Any]) -> dict[str, Any]:
    """One environment's whole config as data: the top-level config (without environments), its overrides merged
    over it, and its region/profile/account pinned into aws."""
    overrides = environment.get("overrides") or {}
    data = _merged(base, overrides if isinstance(overrides, dict) else {})
    data.pop("environments", None)
    pinned = {key: environment[key] for key in ENVIRONMENT_PINS if environment.get(key) is not None}
    data["aws"] = {**(data.get("aws") or {}), **pinned} if isinstance(data.get("aws") or {}, dict) else data["aws"]
    return data


class StackyardConfig(Section):
    """A whole stackyard config file."""

    aws: AwsSettings = Field(default_factory=AwsSettings)
    tags: Tags = Field(
        default_factory=lambda: {"valohai": "1"},
        description="Tags on every resource (provider default_tags); seed 001 tags everything valohai=1.",
    )
    backend: Backend = Field(default_factory=LocalBackend)
    data_store: DataStoreSettings
    workers: WorkersSettings = Field(default_factory=WorkersSettings)
    network: NetworkSettings = Field(default_factory=NetworkSettings)
    firewall: FirewallSettings = Field(default_factory=FirewallSettings)
    queue: QueueSettings = Field(default_factory=QueueSettings)
    cluster: ClusterSettings = Field(default_factory=ClusterSettings)
    protection: ProtectionSettings = Field(default_factory=ProtectionSettings)
    environments: list[EnvironmentSettings] = Field(
        default_factory=list, description="Several environments from one file; none: one set of unprefixed stacks."
    )

    # Resolved once, when the config is validated: the stacks and `verify --environment` read them from here.
    _environment_configs: list[tuple[str, StackyardConfig]] = PrivateAttr(default_factory=list)

    def environment_configs(self) -> list[tuple[str | None, StackyardConfig]]:
        """(name, full config) per environment; [(None, self)] without environments."""
        return list(self._environment_configs) or [(None, self)]

    def environment_config(self, name: str) -> StackyardConfig:
        """The whole config of one environment; a ValueError naming the ones there are when it has no such one."""
        configs = dict(self._environment_configs)
        if name not in configs:
            raise ValueError(f"--environment {name!r}: the config has {sorted(configs) or 'no environments'}")
        return configs[name]

    def _resolve_environments(self) -> list[tuple[str, StackyardConfig]]:
        base = self.model_dump(exclude={"environments"}, mode="json")
        resolved, problems = [], []
        for index, environment in enumerate(self.environments):
            data = environment_data(base, environment.model_dump(mode="json"))
            try:
                resolved.append((environment.name, StackyardConfig.model_validate(data)))
            except ValidationError as error:
                label = f"environments: [{index}] {environment.name}"
                problems += [f"{label}: {describe_error(item, StackyardConfig)}" for item in error.errors()]
        raise_every_problem("StackyardConfig", *problems)  # one line per problem, as the loader reports them
        return resolved

    @model_validator(mode="after")
    def _environments_resolve(self) -> StackyardConfig:
        names = [environment.name for environment in self.environments]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(
                f"environments: {', '.join(twice)} named more than once; names must be unique (they prefix the "
                "stack names)"
            )
        for environment in self.environments:
            if "environments" in environment.overrides:
                raise ValueError(f"environments: {environment.name}: overrides cannot hold environments")
        self._environment_configs = self._resolve_environments()  # each must be a valid config on its own
        return self

    @model_validator(mode="before")
    @classmethod
    def _sections_with_rules_are_present(cls, data: Any) -> Any:
        return cls.with_sections_present(data)

    @staticmethod
    def with_sections_present(data: Any) -> Any:
        """The data with an empty workers and cluster section where they are missing: built from their defaults
        their required fields (assume_role_arn, creator...) would fail inside the default factory, where the error
        loses its field path; an explicit empty section keeps it."""
        if isinstance(data, dict):
            return {"workers": {}, "cluster": {}, **data}
        return data

    @model_validator(mode="after")
    def _cross_section_rules(self) -> StackyardConfig:
        raise_every_problem("StackyardConfig", *(rule.check(self) for rule in CROSS_SECTION_RULES))
        return self


@dataclass(frozen=True)
class CrossSectionRule:
    """A rule over several sections. The model applies it; the loader also applies it to whichever sections are
    valid when others are not, so one bad field never hides another section's problem."""

    sections: tuple[str, ...]
    check: Callable[[Any], str | None]
    """Given an object with those sections as attributes: "field.path: reason", or None when the rule holds."""


def _zones_in_region(config: Any) -> str | None:
    for zone in config.network.availability_zones or []:
        if not zone.startswith(config.aws.region) or len(zone) != len(config.aws.region) + 1:
            return (
                f"network.availability_zones: {zone} is not a zone of aws.region {config.aws.region}; "
                f"use names like {config.aws.region}a, or null for the region's zones"
            )
    return None


def _cluster_subnet_without_workers(config: Any) -> str | None:
    if config.cluster.enabled and config.cluster.subnet_id is None and not config.workers.enabled:
        return (
            "cluster.subnet_id: required when the workers stack (which creates the network) is disabled; "
            "give an existing subnet id or enable workers"
        )
    return None


def _mount_needs_the_store(config: Any) -> str | None:
    if config.cluster.enabled and config.cluster.s3_mount.enabled and not config.data_store.enabled:
        return "cluster.s3_mount.enabled: needs data_store.enabled (the bucket it mounts); or turn s3_mount off"
    return None


def _acme_needs_port_80(config: Any) -> str | None:
    if config.queue.installs_itself() and not config.firewall.acme_http:
        return (
            "firewall.acme_http: must be on when queue.installed_by is customer: the queue's certificate is "
            "issued over ACME HTTP-01, which connects to port 80"
        )
    return None


CROSS_SECTION_RULES = (
    CrossSectionRule(("queue", "firewall"), _acme_needs_port_80),
    CrossSectionRule(("aws", "network"), _zones_in_region),
    CrossSectionRule(("cluster", "workers"), _cluster_subnet_without_workers),
    CrossSectionRule(("cluster", "data_store"), _mount_needs_the_store),
)
