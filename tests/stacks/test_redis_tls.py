"""The generated redis.conf and certbot hook, run for real: Debian's redis-server (7.0, TLS) started from the
config serves TLS only, with the password and an append-only file; the hook makes the running server load a renewed
certificate without a restart."""

from __future__ import annotations

import hashlib
import ssl
from pathlib import Path

import pytest
import redis

from tests.support.customer_queue import write_redis_files
from tests.support.processes import LOOPBACK, certificate_files, redis_server_from_config

pytestmark = pytest.mark.slow

PASSWORD = "a-password-for-this-test"


def served_certificate(port: int) -> str:
    """SHA-256 of the certificate the server presents now (a new connection)."""
    der = ssl.get_server_certificate((LOOPBACK, port), timeout=5)
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(der)).hexdigest()


def fingerprint(cert_file) -> str:
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(cert_file.read_text())).hexdigest()


@pytest.fixture
def queue_redis(tmp_path):
    files = write_redis_files(tmp_path, PASSWORD)
    with redis_server_from_config(files.config_file, files.redis.port, files.first_certificate.cert) as server:
        yield files, server


def client(port: int, ca_file, password: str | None) -> redis.Redis:
    return redis.Redis(
        host=LOOPBACK, port=port, password=password, ssl=True, ssl_ca_certs=str(ca_file), socket_timeout=5
    )


def test_the_config_serves_tls_only_with_the_password_and_an_append_only_file(queue_redis):
    files, server = queue_redis
    connection = client(server.port, files.first_certificate.cert, PASSWORD)
    assert connection.ping()
    settings = connection.config_get("*")
    assert settings["port"] == "0", "no plaintext port"
    assert settings["tls-port"] == str(files.redis.port)
    assert settings["appendonly"] == "yes"
    assert settings["tls-protocols"] == "TLSv1.2 TLSv1.3"
    assert settings["requirepass"] == PASSWORD, "from the included password file"
    with pytest.raises(redis.AuthenticationError):
        client(server.port, files.first_certificate.cert, None).ping()
    assert served_certificate(server.port) == fingerprint(files.first_certificate.cert)


def test_the_renewal_hook_reloads_the_certificate_without_a_restart(queue_redis, tmp_path):
    files, server = queue_redis
    renewed = certificate_files(tmp_path / "live-2")
    assert fingerprint(renewed.cert) != fingerprint(files.first_certificate.cert)

    result = files.install_certificate(renewed.cert.parent)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Redis reloaded the certificate" in result.stdout
    assert served_certificate(server.port) == fingerprint(renewed.cert), "new connections get the new certificate"
    assert server.process.poll() is None, "the same process, never restarted"
    assert client(server.port, renewed.cert, PASSWORD).ping()
    assert PASSWORD not in result.stdout + result.stderr


def test_a_renewal_whose_key_does_not_match_is_refused_and_the_old_pair_kept(queue_redis, tmp_path):
    files, server = queue_redis
    mismatched = certificate_files(tmp_path / "live-bad")
    other = certificate_files(tmp_path / "live-other")
    mismatched.key.write_bytes(other.key.read_bytes())

    result = files.install_certificate(mismatched.cert.parent)

    assert result.returncode != 0 and "does not match its certificate" in result.stderr
    assert served_certificate(server.port) == fingerprint(files.first_certificate.cert)
    kept = files.redis.cert_file, files.redis.key_file
    assert [Path(f).read_text() for f in kept] == [
        files.first_certificate.cert.read_text(),
        files.first_certificate.key.read_text(),
    ]
