"""The resources that hold data, traffic, identity or secrets, and what replaces or removes them.

The stacks give each one Terraform's ``lifecycle.prevent_destroy``, so any plan that would delete or replace it
fails before anything changes, whichever CLI runs it. ``protection.allow_replace`` lifts it per resource,
``protection.teardown`` for all. `stackyard plan|deploy|destroy` find them in a plan by their Terraform address
(cdktf's logical ids are fixed, and a test holds the stacks to these) and say which resource, which config key
and how to allow it; by address they also see one the config no longer has, which prevent_destroy cannot guard.
Every resource `stackyard adopt` imported is protected too, under its adoption slot's name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

# Set by `stackyard plan|deploy|destroy` for the scratch synth they read the plan from, never for one they apply:
# Terraform's plan JSON exists only when no prevent_destroy stops the plan.
LIFT_ENV_VAR = "STACKYARD_PROTECTION_LIFTED"


@dataclass(frozen=True)
class Protected:
    name: str
    """What `protection.allow_replace` names."""
    address: str
    """Its Terraform address in its stack (type.logical_id)."""
    what: str
    """The resource, in words."""
    why: str
    """What is lost when it is deleted or replaced."""
    causes: dict[str, str] = field(default_factory=dict)
    """Attribute whose change replaces it -> the config key(s) that set it."""
    removed_by: str = ""
    """The config key that removes it from the stacks."""


PROTECTED = (
    Protected(
        "store-bucket",
        "aws_s3_bucket.store_bucket_6D52E199",
        "the store bucket",
        "holds the training data and its versions; a new bucket starts empty and the platform still names the old",
        {"bucket": "data_store.bucket_name"},
        "data_store.enabled",
    ),
    Protected(
        "access-log-bucket",
        "aws_s3_bucket.access_logging_log_bucket_E2A481EB",
        "the access-log bucket",
        "holds the audit trail of every request to the store",
        {"bucket": "data_store.bucket_name, which the log bucket is named after"},
        "data_store.access_logging.enabled or data_store.access_logging.target_bucket",
    ),
    Protected(
        "store-user",
        "aws_iam_user.store_user_0B99FA94",
        "the store's IAM user",
        "the platform authenticates as it; a new user has a new access key",
        {"name": "data_store.user_name"},
        "data_store.enabled",
    ),
    Protected(
        "store-access-key",
        "aws_iam_access_key.store_user_access_key_B2958D01",
        "the store user's access key",
        "the platform holds its secret: a new key stops the store until the platform's settings are changed",
        {"user": "data_store.user_name", "pgp_key": "data_store.pgp_key"},
        "data_store.create_access_key",
    ),
    Protected(
        "master-role",
        "aws_iam_role.master_iam_role_73879D14",
        "ValohaiMaster",
        "the platform assumes it by its ARN; a new role breaks the platform's access until its ARN is given again",
        {"name": "workers.master_role_name"},
        "workers.enabled",
    ),
    Protected(
        "worker-role",
        "aws_iam_role.worker_iam_instance_role_1C58CA38",
        "ValohaiWorkerRole",
        "every worker runs as it; the platform launches workers with it by name",
        {"name": "workers.worker_role_name"},
        "workers.enabled",
    ),
    Protected(
        "worker-instance-profile",
        "aws_iam_instance_profile.worker_iam_instance_role_instance_profile_84C8177C",
        "the workers' instance profile",
        "running workers hold it; the platform launches workers with it by name",
        {"name": "workers.worker_role_name", "role": "workers.worker_role_name"},
        "workers.enabled",
    ),
    Protected(
        "queue-instance",
        "aws_instance.queue_instance_D847428E",
        "the queue instance",
        "runs Redis with the queued jobs and short-term logs; a new instance starts empty and must be set up again",
        {
            "ami": "queue.ami_id",
            "key_name": "queue.key_pair.name",
            "subnet_id": "network.vpc_cidr, network.subnet_prefix_length, network.subnet_cidrs or "
            "network.availability_zones (its subnet is replaced)",
            "availability_zone": "network.availability_zones",
            "user_data": "queue.installed_by or the queue's first-boot settings (address, acme_*, redis_version, "
            "password_secret_name): the script runs at first boot only, so only a new instance applies it",
            "user_data_replace_on_change": "queue.installed_by",
            "root_block_device": "queue.disk_size_gb (a smaller disk)",
            "ebs_block_device": "queue.disk_size_gb",
            "private_ip": "the network settings",
        },
        "queue.enabled",
    ),
    Protected(
        "queue-elastic-ip",
        "aws_eip.queue_elastic_ip_69535985",
        "the queue's Elastic IP",
        "the platform and the queue's DNS name point at this address",
        {"domain": "queue", "address": "queue"},
        "queue.enabled",
    ),
    Protected(
        "queue-key-pair",
        "aws_key_pair.queue_key_pair_A0FBF486",
        "the queue's key pair",
        "SSH access to the queue (a new pair replaces the queue instance too)",
        {"key_name": "queue.key_pair.name", "public_key": "queue.key_pair.public_key or public_key_file"},
        "queue.key_pair",
    ),
    Protected(
        "queue-password-secret",
        "aws_secretsmanager_secret.queue_password_secret_8366A4DF",
        "the Redis password secret",
        "holds the queue's Redis password, set once by the queue itself; a new secret is empty",
        {"name": "queue.password_secret_name"},
        "queue.installed_by",
    ),
    Protected(
        "flow-log-group",
        "aws_cloudwatch_log_group.flow_logs_log_group_C58EF5F0",
        "the VPC flow-log group",
        "holds the record of the VPC's traffic",
        {"name": "network.name_prefix"},
        "network.flow_logs.enabled or network.existing",
    ),
)
BY_NAME = {protected.name: protected for protected in PROTECTED}
BY_ADDRESS = {protected.address: protected for protected in PROTECTED}
ADOPTED_WHY = "it existed before stackyard (adopted); deleting it loses what it held before the adoption"


def describe(name: str) -> Protected:
    """The entry of a protected name; an adopted slot's name gets a generic one."""
    return BY_NAME.get(name) or Protected(name, "", f"the adopted resource in slot {name!r}", ADOPTED_WHY)


def lifted() -> bool:
    """Whether this synth is stackyard's own scratch synth for reading a plan (never one that is applied)."""
    return os.environ.get(LIFT_ENV_VAR) == "1"
