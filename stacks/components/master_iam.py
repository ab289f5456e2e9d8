"""The role the ML platform assumes to run the workers (seed 001, "ValohaiMaster")."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from stacks import policies
from stacks.engine.aws.data_aws_partition import DataAwsPartition
from stacks.engine.aws.iam_policy import IamPolicy
from stacks.engine.aws.iam_role import IamRole
from stacks.engine.aws.iam_role_policy_attachment import IamRolePolicyAttachment

# Seed 001 "option 2": what the platform needs to create the network and the queue itself.
PROVISIONING_POLICIES = ("AmazonEC2FullAccess", "AmazonVPCFullAccess")


@dataclass(frozen=True)
class MasterIamProps:
    role_name: str
    """Role name (ValohaiMaster)."""
    policy_name: str
    """Managed policy name (ValohaiMasterPolicy)."""
    assume_role_arn: str
    """The platform's AssumeRole ARN: the only principal trusted."""
    worker_role_arn: str
    """The worker role the platform may pass to instances (the policy's Sid 4)."""
    external_id: str | None = None
    """Require this sts:ExternalId on AssumeRole."""
    grant_provisioning_access: bool = False
    """Attach AWS's EC2 and VPC full-access policies (option 2)."""


class MasterIam(Construct):
    """ValohaiMasterPolicy exactly as seed 001 writes it, and the ValohaiMaster role the platform assumes."""

    def __init__(self, scope: Construct, id: str, props: MasterIamProps):
        super().__init__(scope, id)
        self.policy = IamPolicy(
            self,
            "policy",
            name=props.policy_name,
            description="Lets the Valohai platform scale workers and manage their spot launch templates",
            policy=policies.master_policy(props.worker_role_arn),
        )
        self.role = IamRole(
            self,
            "role",
            name=props.role_name,
            description="Assumed by the Valohai platform to run hybrid workers",
            assume_role_policy=policies.trust_aws_principal(props.assume_role_arn, props.external_id),
        )
        self.policy_attachment = IamRolePolicyAttachment(
            self, "policy_attachment", role=self.role.name, policy_arn=self.policy.arn
        )
        if props.grant_provisioning_access:
            partition = DataAwsPartition(self, "partition").partition
            for name in PROVISIONING_POLICIES:
                IamRolePolicyAttachment(
                    self, name, role=self.role.name, policy_arn=f"arn:{partition}:iam::aws:policy/{name}"
                )
