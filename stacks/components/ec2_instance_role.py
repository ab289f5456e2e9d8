"""An IAM role EC2 instances run as, with the instance profile that carries it (the console makes that profile
for you; Terraform does not, as seed 001's note warns)."""

from __future__ import annotations

from constructs import Construct

from stacks import policies
from stacks.engine.aws.iam_instance_profile import IamInstanceProfile
from stacks.engine.aws.iam_role import IamRole


class Ec2InstanceRole(Construct):
    """Role trusted by ec2.amazonaws.com and an instance profile of the same name, as the console would make."""

    def __init__(self, scope: Construct, id: str, *, role_name: str, description: str):
        super().__init__(scope, id)
        self.role = IamRole(
            self,
            "role",
            name=role_name,
            description=description,
            assume_role_policy=policies.trust_aws_service("ec2.amazonaws.com"),
        )
        self.instance_profile = IamInstanceProfile(self, "instance_profile", name=role_name, role=self.role.name)
