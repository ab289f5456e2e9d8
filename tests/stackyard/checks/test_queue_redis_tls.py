"""queue-redis-tls: TCP, TLS handshake with a verified certificate, AUTH + PING against a real redis-server."""

from __future__ import annotations

import time

from stackyard.checks.core.base import Status
from stackyard.checks.core.context import QueueAddress
from stackyard.checks.queue_redis_tls import QueueRedisTls
from tests.support.deployed import REDIS_PASSWORD
from tests.support.processes import LOOPBACK, redis_server


def at(server) -> QueueAddress:
    return QueueAddress(LOOPBACK, server.port)


def test_passes_against_the_tls_queue(check_on, deployed, queue_redis, tls_files):
    result = check_on(
        QueueRedisTls,
        deployed,
        queue_address=at(queue_redis),
        ca_file=str(tls_files.cert),
        redis_password=REDIS_PASSWORD,
    )
    assert result.status is Status.PASS, result.detail
    assert "AUTH + PING -> PONG" in result.detail and "TLSv1" in result.detail


def test_wrong_password_fails(check_on, deployed, queue_redis, tls_files):
    result = check_on(
        QueueRedisTls, deployed, queue_address=at(queue_redis), ca_file=str(tls_files.cert), redis_password="not-it"
    )
    assert result.status is Status.FAIL and "AUTH was refused" in result.detail


def test_untrusted_certificate_fails_unless_verification_is_off(check_on, deployed, queue_redis):
    untrusted = check_on(QueueRedisTls, deployed, queue_address=at(queue_redis), redis_password=REDIS_PASSWORD)
    assert untrusted.status is Status.FAIL and "certificate not trusted" in untrusted.detail
    unverified = check_on(
        QueueRedisTls, deployed, queue_address=at(queue_redis), redis_password=REDIS_PASSWORD, verify_tls=False
    )
    assert unverified.status is Status.PASS


def test_plaintext_redis_on_the_port_fails_with_the_reason(check_on, deployed, tmp_path):
    with redis_server(None, None, tmp_path) as server:
        result = check_on(QueueRedisTls, deployed, queue_address=at(server), verify_tls=False)
    assert result.status is Status.FAIL and "speaks plaintext Redis, not TLS" in result.detail


def test_stopped_redis_fails_within_the_timeout(check_on, deployed, tls_files, tmp_path):
    with redis_server(tls_files, None, tmp_path) as server:
        address = at(server)
    started = time.monotonic()
    result = check_on(QueueRedisTls, deployed, queue_address=address, timeout=2)
    assert result.status is Status.FAIL and f"cannot open TCP {address}" in result.detail
    assert time.monotonic() - started < 2.5


def test_skipped_without_an_address(check_on, deployed):
    result = check_on(QueueRedisTls, deployed, outputs=lambda o: o["workers"].pop("queue_public_ip"))
    assert result.status is Status.SKIP and "--queue-address" in result.detail
