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


# --- the customer-installed queue: Redis from the generated redis.conf, the password from its secret -------------


def test_customer_queue_passes_with_the_password_from_its_secret(
    check_on, customer_deployed, customer_redis, queue_password
):
    files, server = customer_redis
    result = check_on(
        QueueRedisTls, customer_deployed, queue_address=at(server), ca_file=str(files.first_certificate.cert)
    )
    assert result.status is Status.PASS, result.detail
    assert "password from its secret" in result.detail and "AUTH + PING -> PONG" in result.detail
    assert queue_password not in repr(result.as_dict()), "the password stays out of the report"


def test_customer_queue_wrong_password_given_wins_and_fails(check_on, customer_deployed, customer_redis):
    files, server = customer_redis
    result = check_on(
        QueueRedisTls,
        customer_deployed,
        queue_address=at(server),
        ca_file=str(files.first_certificate.cert),
        redis_password="not-it",
    )
    assert result.status is Status.FAIL and "AUTH was refused" in result.detail


def test_customer_queue_plaintext_port_fails(check_on, customer_deployed, tmp_path):
    with redis_server(None, None, tmp_path) as server:
        result = check_on(QueueRedisTls, customer_deployed, queue_address=at(server))
    assert result.status is Status.FAIL and "speaks plaintext Redis, not TLS" in result.detail


def test_customer_queue_is_reached_by_its_address_and_the_certificate_must_name_it(
    check_on, customer_deployed, customer_redis
):
    """Without --queue-address the check connects to queue.address with SNI; a certificate for another name fails."""
    files, server = customer_redis
    result = check_on(
        QueueRedisTls,
        customer_deployed,
        outputs=lambda o: o["workers"].update(queue_address="localhost"),
        config=lambda c: c.setdefault("firewall", {}).update(redis_tls_port=server.port),
        ca_file=str(files.first_certificate.cert),
    )
    assert result.status is Status.FAIL, result.detail
    assert f"localhost:{server.port}: TLS certificate not trusted" in result.detail and "mismatch" in result.detail
