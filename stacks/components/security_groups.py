"""Seed 001's two security groups, valohai-sg-workers and valohai-sg-queue, as standalone rule resources
(one resource per rule: every rule visible to scanners and changeable without replacing the group)."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from stacks.engine.aws.security_group import SecurityGroup
from stacks.engine.aws.vpc_security_group_egress_rule import VpcSecurityGroupEgressRule
from stacks.engine.aws.vpc_security_group_ingress_rule import VpcSecurityGroupIngressRule

ANYWHERE = "0.0.0.0/0"


@dataclass(frozen=True)
class WorkerSecurityGroupsProps:
    vpc_id: str
    """VPC of both groups."""
    app_cidr: str
    """The platform's web app, which reads the queue over Redis/TLS."""
    valohai_ssh_cidr: str
    """The platform's SSH management address."""
    queue_ssh_cidr: str
    """Who may SSH to the queue: the platform, or your admin address if you install the queue yourself."""
    queue_ssh_description: str
    """Why queue_ssh_cidr may SSH in."""
    workers_ssh_from_valohai: bool = True
    """Open SSH to the workers from the platform (optional in seed 001)."""
    acme_http: bool = True
    """Open port 80 on the queue to everyone, for ACME HTTP-01 certificate validation."""
    redis_tls_port: int = 63790
    """Redis-over-TLS port."""
    name_prefix: str = "valohai"
    """Group names: <prefix>-sg-workers, <prefix>-sg-queue."""


class WorkerSecurityGroups(Construct):
    """valohai-sg-workers (optional SSH from the platform, all egress) and valohai-sg-queue (ACME on 80, Redis over
    TLS from the app and from the workers, SSH for whoever installs the queue, all egress)."""

    def __init__(self, scope: Construct, id: str, props: WorkerSecurityGroupsProps):
        super().__init__(scope, id)
        prefix = props.name_prefix
        self.rules: dict[str, VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule] = {}
        """Every rule by its id (workers_ssh_valohai, queue_redis_app, ..., queue_egress)."""
        self.workers = self._group("workers", f"{prefix}-sg-workers", "Valohai worker instances", props.vpc_id)
        self.queue = self._group("queue", f"{prefix}-sg-queue", "Valohai worker queue (Redis over TLS)", props.vpc_id)
        if props.workers_ssh_from_valohai:
            self._allow_tcp(
                "workers_ssh_valohai", self.workers, 22, "SSH management from Valohai", props.valohai_ssh_cidr
            )
        self._allow_all_egress("workers_egress", self.workers, "Workers fetch data, images and libraries")

        if props.acme_http:
            self._allow_tcp("queue_http_acme", self.queue, 80, "ACME HTTP-01: TLS certificate for the queue", ANYWHERE)
        port = props.redis_tls_port
        self._allow_tcp("queue_redis_app", self.queue, port, "Redis over TLS from app.valohai.com", props.app_cidr)
        self._allow_tcp(
            "queue_redis_workers", self.queue, port, "Redis over TLS from the workers", source_group=self.workers
        )
        self._allow_tcp("queue_ssh", self.queue, 22, props.queue_ssh_description, props.queue_ssh_cidr)
        self._allow_all_egress("queue_egress", self.queue, "Queue fetches packages and certificates")

    def _group(self, id: str, name: str, description: str, vpc_id: str) -> SecurityGroup:
        return SecurityGroup(self, id, name=name, description=description, vpc_id=vpc_id, tags={"Name": name})

    def _allow_tcp(
        self,
        id: str,
        group: SecurityGroup,
        port: int,
        description: str,
        cidr: str | None = None,
        source_group: SecurityGroup | None = None,
    ) -> VpcSecurityGroupIngressRule:
        self.rules[id] = VpcSecurityGroupIngressRule(
            self,
            id,
            security_group_id=group.id,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            cidr_ipv4=cidr,
            referenced_security_group_id=source_group.id if source_group else None,
            description=description,
        )
        return self.rules[id]

    def _allow_all_egress(self, id: str, group: SecurityGroup, description: str) -> VpcSecurityGroupEgressRule:
        self.rules[id] = VpcSecurityGroupEgressRule(
            self, id, security_group_id=group.id, ip_protocol="-1", cidr_ipv4=ANYWHERE, description=description
        )
        return self.rules[id]
