"""The customer-installed queue's Redis password: a Secrets Manager secret whose value only the queue's role and
the platform's ValohaiMaster role may read. Terraform makes the secret, never its value (the queue does)."""

from __future__ import annotations

from dataclasses import dataclass, field

from constructs import Construct

from stacks import policies
from stacks.components.ec2_instance_role import Ec2InstanceRole
from stacks.engine.aws.iam_role_policy import IamRolePolicy
from stacks.engine.aws.secretsmanager_secret import SecretsmanagerSecret
from stacks.engine.aws.secretsmanager_secret_policy import SecretsmanagerSecretPolicy
from stacks.engine.cdk import TerraformResource


@dataclass(frozen=True)
class QueuePasswordProps:
    secret_name: str
    """Name of the secret."""
    role_name: str
    """The queue instance's role (and instance profile) name."""
    master_role_name: str
    """ValohaiMaster: granted read on this secret only."""
    master_role_arn: str
    region: str
    """For the kms:ViaService condition."""
    kms_key_arn: str | None = None
    """Customer-managed KMS key of the secret; None: Secrets Manager's AWS-managed key."""
    recovery_days: int = 7
    """How long a deleted secret can be restored (0: deleted at once)."""
    extra_readers: list[str] = field(default_factory=list)
    """Other principals allowed to read the value (e.g. an admin role running verify)."""


class QueuePassword(Construct):
    """The secret, the queue's instance role with exactly its secret actions, ValohaiMaster's read grant, and the
    secret's resource policy denying every other reader."""

    def __init__(self, scope: Construct, id: str, props: QueuePasswordProps):
        super().__init__(scope, id)
        self.secret = SecretsmanagerSecret(
            self,
            "secret",
            name=props.secret_name,
            description="Redis password of the worker queue; set by the queue instance at its first boot",
            kms_key_id=props.kms_key_arn,
            recovery_window_in_days=props.recovery_days,
        )
        instance_role = Ec2InstanceRole(
            self, "queue_role", role_name=props.role_name, description="Assigned to the worker-queue instance"
        )
        self.role, self.instance_profile = instance_role.role, instance_role.instance_profile
        self.role_policy = IamRolePolicy(
            self,
            "queue_role_policy",
            name="QueueRedisPassword",
            role=self.role.id,
            policy=policies.queue_password_access(self.secret.arn, props.kms_key_arn, props.region),
        )
        self.master_read = IamRolePolicy(
            self,
            "master_read",
            name="ReadQueueRedisPassword",
            role=props.master_role_name,
            policy=policies.queue_password_read(self.secret.arn, props.kms_key_arn, props.region),
        )
        self.secret_policy = SecretsmanagerSecretPolicy(
            self,
            "secret_policy",
            secret_arn=self.secret.arn,
            policy=policies.secret_readers_only([self.role.arn, props.master_role_arn, *props.extra_readers]),
            block_public_policy=True,
        )

    def first_boot_needs(self) -> list[TerraformResource]:
        """What the queue's first boot uses: the secret, its policy and the queue role's grant on it."""
        return [self.secret, self.secret_policy, self.role_policy]
