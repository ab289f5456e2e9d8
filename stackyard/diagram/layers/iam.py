"""The IAM trust chain: who may assume which role (the platform -> ValohaiMaster, the store user -> the multipart
role), which role may pass which (iam:PassRole -> ValohaiWorkerRole), the instance profiles and the instances that
run as them, and what the store user and the queue's role may reach (the bucket, the password secret)."""

from __future__ import annotations

import json

from stackyard.diagram.core.diagram import Diagram
from stackyard.diagram.core.layer import ACCOUNT, Layer
from stackyard.diagram.core.terraform import Resource, TerraformStacks

IAM = "iam"


class Iam(Layer):
    id = "iam"
    order = 50

    def draw(self, stacks: TerraformStacks, diagram: Diagram) -> None:
        diagram.group(IAM, "IAM", ACCOUNT)
        for role in stacks.resources("aws_iam_role"):
            diagram.node(role.address, f"role\n{role.body['name']}", "role", IAM)
        for user in stacks.resources("aws_iam_user"):
            diagram.node(user.address, f"user\n{user.body['name']}", "user", IAM)
        for secret in stacks.resources("aws_secretsmanager_secret"):
            diagram.node(secret.address, f"secret\n{secret.body['name']}", "secret", ACCOUNT)
        for role in stacks.resources("aws_iam_role"):
            self._trust(stacks, diagram, role)
        for profile in stacks.resources("aws_iam_instance_profile"):
            diagram.node(profile.address, f"instance profile\n{profile.body['name']}", "profile", IAM)
            diagram.edge(stacks.target(profile.stack, profile.body["role"]), profile.address, "", "attach")
        for instance in stacks.resources("aws_instance"):
            profile = stacks.target(instance.stack, instance.body.get("iam_instance_profile"))
            if profile in diagram.nodes:
                diagram.edge(profile, instance.address, "runs as", "trust")
        for holder, text in self._policies(stacks):
            self._grants(stacks, diagram, holder, text)

    @staticmethod
    def _trust(stacks: TerraformStacks, diagram: Diagram, role: Resource) -> None:
        for statement in json.loads(role.body["assume_role_policy"]).get("Statement", []):
            principals = statement.get("Principal", {}).get("AWS", [])
            for principal in [principals] if isinstance(principals, str) else principals:
                source = stacks.target(role.stack, principal)
                if source is None:
                    source = diagram.node(f"principal:{principal}", f"the platform\n{principal}", "platform")
                external = "ExternalId" if "sts:ExternalId" in json.dumps(statement.get("Condition", {})) else ""
                diagram.edge(source, role.address, " with ".join(filter(None, ["sts:AssumeRole", external])), "trust")

    @staticmethod
    def _policies(stacks: TerraformStacks):
        """(the role or user holding it, the policy document) for every policy attached or inline."""
        managed = {policy.address: policy.body["policy"] for policy in stacks.resources("aws_iam_policy")}
        for attachment in stacks.resources("aws_iam_role_policy_attachment"):
            policy = stacks.target(attachment.stack, attachment.body["policy_arn"])
            if policy in managed:
                yield stacks.target(attachment.stack, attachment.body["role"]), managed[policy]
        for kind, holder in (("aws_iam_role_policy", "role"), ("aws_iam_user_policy", "user")):
            for inline in stacks.resources(kind):
                yield stacks.target(inline.stack, inline.body[holder]), inline.body["policy"]

    @staticmethod
    def _grants(stacks: TerraformStacks, diagram: Diagram, holder: str | None, text: str) -> None:
        if holder not in diagram.nodes:
            return
        stack = holder.split(".", 1)[0]
        for statement in json.loads(text).get("Statement", []):
            actions = statement.get("Action", [])
            actions = [actions] if isinstance(actions, str) else actions
            for target in stacks.mentions(stack, json.dumps(statement.get("Resource", ""))):
                if target not in diagram.nodes or target == holder:
                    continue
                if "iam:PassRole" in actions:
                    diagram.edge(holder, target, "iam:PassRole", "trust")
                elif any(action.startswith("s3:") for action in actions):
                    diagram.edge(holder, target, "s3 objects", "flow")
                elif any(action.startswith("secretsmanager:") for action in actions):
                    diagram.edge(holder, target, "reads the password", "flow")
