"""Seed 001's inbound rules of valohai-sg-workers and valohai-sg-queue, as the config makes them: what discovery
compares a hand-made group with (and the queue-security-group check expects)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from stackyard.config.model import StackyardConfig

ANYWHERE = "0.0.0.0/0"
WORKERS_GROUP = "workers"
"""The source of a rule that admits the workers' security group."""


EGRESS_SLOTS = {"workers": "workers-egress", "queue": "queue-egress"}
"""Each group's one outbound rule (all traffic anywhere), by its adoption slot."""


@dataclass(frozen=True)
class IngressRule:
    slot: str
    """Its place in the workers stack (the rule's construct id, dashed), for adoption."""
    group: Literal["workers", "queue"]
    port: int
    source: str
    """A CIDR, or WORKERS_GROUP."""
    description: str

    def label(self) -> str:
        source = "the workers' group" if self.source == WORKERS_GROUP else self.source
        return f"tcp {self.port} from {source}"


def seed_ingress_rules(config: StackyardConfig) -> list[IngressRule]:
    firewall, queue = config.firewall, config.queue
    rules = []
    if firewall.workers_ssh_from_valohai:
        rules.append(
            IngressRule("workers-ssh-valohai", "workers", 22, firewall.valohai_ssh_cidr, "SSH management from Valohai")
        )
    if firewall.acme_http:
        rules.append(
            IngressRule("queue-http-acme", "queue", 80, ANYWHERE, "ACME HTTP-01 for the queue's TLS certificate")
        )
    port = firewall.redis_tls_port
    rules.append(
        IngressRule("queue-redis-app", "queue", port, firewall.app_cidr, "Redis over TLS from app.valohai.com")
    )
    rules.append(IngressRule("queue-redis-workers", "queue", port, WORKERS_GROUP, "Redis over TLS from the workers"))
    if queue.installed_by == "customer" and queue.admin_ssh_cidr:
        rules.append(
            IngressRule("queue-ssh", "queue", 22, queue.admin_ssh_cidr, "SSH management by the queue's administrator")
        )
    else:
        rules.append(IngressRule("queue-ssh", "queue", 22, firewall.valohai_ssh_cidr, "SSH management from Valohai"))
    return rules
