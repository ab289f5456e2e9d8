"""The training cluster's security group (seed 004): SSH plus flambé's TensorBoard and report-site ports."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from stacks.engine.aws.security_group import SecurityGroup
from stacks.engine.aws.vpc_security_group_egress_rule import VpcSecurityGroupEgressRule
from stacks.engine.aws.vpc_security_group_ingress_rule import VpcSecurityGroupIngressRule

# flambé's ports (seed 004; flambé's code: 49556 serves TensorBoard, 49558 the report site).
CLUSTER_PORTS = {22: "SSH", 49556: "flambé TensorBoard", 49558: "flambé report site"}


@dataclass(frozen=True)
class ClusterSecurityGroupProps:
    name: str
    """Group name."""
    vpc_id: str
    """VPC of the group."""
    access_cidrs: list[str]
    """Who may reach the cluster's ports (never 0.0.0.0/0 by default)."""


class ClusterSecurityGroup(Construct):
    """Ingress on 22/49556/49558 from each access range, all traffic between cluster members, all egress."""

    def __init__(self, scope: Construct, id: str, props: ClusterSecurityGroupProps):
        super().__init__(scope, id)
        self.group = SecurityGroup(
            self,
            "group",
            name=props.name,
            description="flambé training cluster",
            vpc_id=props.vpc_id,
            tags={"Name": props.name},
        )
        for index, cidr in enumerate(props.access_cidrs):
            for port, purpose in CLUSTER_PORTS.items():
                VpcSecurityGroupIngressRule(
                    self,
                    f"access_{index}_{port}",
                    security_group_id=self.group.id,
                    ip_protocol="tcp",
                    from_port=port,
                    to_port=port,
                    cidr_ipv4=cidr,
                    description=f"{purpose} from {cidr}",
                )
        VpcSecurityGroupIngressRule(
            self,
            "members",
            security_group_id=self.group.id,
            ip_protocol="-1",
            referenced_security_group_id=self.group.id,
            description="The orchestrator and the factories talk to each other",
        )
        VpcSecurityGroupEgressRule(
            self,
            "egress",
            security_group_id=self.group.id,
            ip_protocol="-1",
            cidr_ipv4="0.0.0.0/0",
            description="Instances fetch packages, images and data",
        )
