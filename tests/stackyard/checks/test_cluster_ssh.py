"""cluster-ssh: the SSH port answers on every instance. moto's instance IPs are not real and tests only touch
loopback, so the outputs point at a listener on 127.0.0.1 (the check's port is a constructor argument)."""

from __future__ import annotations

import socket

from stackyard.checks.cluster_ssh import ClusterSsh
from stackyard.checks.core.base import Status
from tests.support.processes import LOOPBACK, free_port


def on_loopback(outputs: dict) -> None:
    outputs["cluster"]["orchestrator_public_ip"] = LOOPBACK
    outputs["cluster"]["factory_public_ips"] = [LOOPBACK, LOOPBACK]


def test_passes_when_every_host_listens(check_on, deployed):
    with socket.socket() as listener:
        listener.bind((LOOPBACK, 0))
        listener.listen()
        result = check_on(ClusterSsh(port=listener.getsockname()[1]), deployed, outputs=on_loopback)
    assert result.status is Status.PASS and "open on 3 hosts" in result.detail


def test_a_closed_port_fails_naming_the_hosts(check_on, deployed):
    result = check_on(ClusterSsh(port=free_port()), deployed, outputs=on_loopback, timeout=1)
    assert result.status is Status.FAIL and LOOPBACK in result.detail
