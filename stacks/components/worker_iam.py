"""The role hybrid-worker instances run as (seed 001, "ValohaiWorkerRole")."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from stacks import policies
from stacks.components.ec2_instance_role import Ec2InstanceRole
from stacks.engine.aws.iam_policy import IamPolicy
from stacks.engine.aws.iam_role_policy_attachment import IamRolePolicyAttachment


@dataclass(frozen=True)
class WorkerIamProps:
    role_name: str
    """Role name; the instance profile gets the same name, as the AWS console would do."""
    policy_name: str
    """Name of the managed policy with seed 001's two statements."""


class WorkerIam(Construct):
    """ValohaiWorkerPolicy (set instance protection, describe instances), ValohaiWorkerRole trusted by EC2, and
    its instance profile, which outside the console nobody creates for you (seed 001's note)."""

    def __init__(self, scope: Construct, id: str, props: WorkerIamProps):
        super().__init__(scope, id)
        self.policy = IamPolicy(
            self,
            "policy",
            name=props.policy_name,
            description="Lets Valohai workers protect themselves from scale-in and describe instances",
            policy=policies.worker_policy(),
        )
        instance_role = Ec2InstanceRole(
            self, "instance_role", role_name=props.role_name, description="Assigned to Valohai worker instances"
        )
        self.role, self.instance_profile = instance_role.role, instance_role.instance_profile
        self.policy_attachment = IamRolePolicyAttachment(
            self, "policy_attachment", role=self.role.name, policy_arn=self.policy.arn
        )
