"""cluster-ssh: every cluster instance answers on the SSH port (flambé drives the cluster over SSH)."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor

from stackyard.checks.core.base import Check, Outcome, Severity, failed, passed
from stackyard.checks.core.context import VerifyContext

SSH_PORT = 22


class ClusterSsh(Check):
    id = "cluster-ssh"
    title = "SSH port reachable on the orchestrator and every factory"
    seed = "004"
    severity = Severity.MEDIUM
    remediation = (
        "Allow SSH from cluster.access_cidrs in the cluster's security group and start the instances: "
        "`cdktf deploy cluster`"
    )
    order = 130
    needs_outputs = ("orchestrator_public_ip", "factory_public_ips")

    def __init__(self, port: int = SSH_PORT):
        self.port = port

    def run(self, context: VerifyContext) -> Outcome:
        hosts = [context.output("orchestrator_public_ip"), *context.output("factory_public_ips")]
        with ThreadPoolExecutor(max_workers=len(hosts)) as pool:
            reachable = list(pool.map(lambda host: _open(host, self.port, context.timeout), hosts))
        unreachable = [host for host, ok in zip(hosts, reachable, strict=True) if not ok]
        if unreachable:
            return failed(f"port {self.port} unreachable within {context.timeout:g} s on {', '.join(unreachable)}")
        return passed(f"port {self.port} open on {len(hosts)} hosts")


def _open(host: str, port: int, timeout: float) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False
