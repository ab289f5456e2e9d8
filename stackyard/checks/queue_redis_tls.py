"""queue-redis-tls: the worker queue answers Redis over TLS on 63790 (seed 001), reachable within the timeout.

Where: --queue-address, else the customer-installed queue's DNS name (queue.address, so SNI and the certificate's
name are checked), else the queue's Elastic IP. The password: --redis-password-env, else the queue's secret."""

from __future__ import annotations

import socket
import ssl

import redis
from botocore.exceptions import BotoCoreError, ClientError

from stackyard.checks.core.base import Check, Outcome, Severity, failed, passed, skipped
from stackyard.checks.core.context import QueueAddress, VerifyContext


class QueueRedisTls(Check):
    id = "queue-redis-tls"
    title = "Redis answers over TLS on the queue's port (TCP, TLS handshake, AUTH + PING)"
    seed = "001"
    severity = Severity.CRITICAL
    remediation = (
        "Run Redis with TLS on the queue's port (seed 001), a trusted certificate and the password; the detail "
        "names the step that failed"
    )
    order = 110
    optional_outputs = ("queue_public_ip", "queue_address", "queue_password_secret_arn")

    def run(self, context: VerifyContext) -> Outcome:
        address = context.queue_address
        port = context.config.firewall.redis_tls_port
        if address is None and context.output("queue_address"):
            address = QueueAddress(context.output("queue_address"), port)
        if address is None:
            public_ip = context.output("queue_public_ip")
            if public_ip is None:
                return skipped("no queue_public_ip in the outputs and no --queue-address given")
            address = QueueAddress(public_ip, port)
        password, password_note = _password(context)

        try:
            with socket.create_connection((address.host, address.port), timeout=context.timeout):
                pass
        except OSError as error:
            return failed(f"cannot open TCP {address} within {context.timeout:g} s ({_reason(error)})")

        tls = _tls_context(context)
        try:
            with (
                socket.create_connection((address.host, address.port), timeout=context.timeout) as raw,
                tls.wrap_socket(raw, server_hostname=address.host) as secure,
            ):
                version, cipher = secure.version(), secure.cipher()[0]
        except ssl.SSLCertVerificationError as error:
            return failed(f"{address}: TLS certificate not trusted ({error.verify_message}); see --queue-ca-file")
        except (ssl.SSLError, ConnectionError, TimeoutError) as error:
            if _speaks_plaintext_redis(address, context.timeout):
                return failed(f"{address} speaks plaintext Redis, not TLS: traffic and passwords would be readable")
            return failed(f"{address}: TLS handshake failed ({_reason(error)})")

        client = redis.Redis(
            host=address.host,
            port=address.port,
            password=password,
            ssl=True,
            ssl_cert_reqs="required" if context.verify_tls else "none",
            ssl_check_hostname=context.verify_tls,
            ssl_ca_certs=context.ca_file,
            socket_timeout=context.timeout,
            socket_connect_timeout=context.timeout,
        )
        tls_detail = f"{address}: {version} ({cipher}){password_note}"
        try:
            client.ping()
        except redis.AuthenticationError as error:
            if password:
                return failed(f"{tls_detail}, but AUTH was refused ({error})")
            return passed(f"{tls_detail}; Redis asks for a password (give --redis-password-env to test AUTH)")
        except redis.RedisError as error:
            return failed(f"{tls_detail}, but PING failed ({error})")
        finally:
            client.close()
        auth = "AUTH + PING -> PONG" if password else "PING -> PONG (no password set)"
        return passed(f"{tls_detail}; {auth}", tls_version=version, cipher=cipher)


def _password(context: VerifyContext) -> tuple[str | None, str]:
    """The password to AUTH with, and a note for the detail on where it came from."""
    if context.redis_password:
        return context.redis_password, ""
    secret_arn = context.output("queue_password_secret_arn")
    if secret_arn is None:
        return None, ""
    try:
        value = context.client("secretsmanager").get_secret_value(SecretId=secret_arn).get("SecretString")
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "error")
        hint = " (add your principal to queue.password_readers, or give --redis-password-env)"
        hint = hint if code == "AccessDeniedException" else ""
        return None, f"; cannot read the password from its secret: {code}{hint}"
    except BotoCoreError as error:
        return None, f"; cannot read the password from its secret: {error}"
    return value, "; password from its secret"


def _tls_context(context: VerifyContext) -> ssl.SSLContext:
    tls = ssl.create_default_context(cafile=context.ca_file)
    if not context.verify_tls:
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE
    return tls


def _speaks_plaintext_redis(address: QueueAddress, timeout: float) -> bool:
    """Whether the port answers a plaintext PING the way Redis does (+PONG, or an -ERR/-NOAUTH reply)."""
    try:
        with socket.create_connection((address.host, address.port), timeout=timeout) as raw:
            raw.sendall(b"PING\r\n")
            reply = raw.recv(64)
    except OSError:
        return False
    return reply.startswith((b"+PONG", b"-NOAUTH", b"-ERR", b"-DENIED"))


def _reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or getattr(error, "reason", None) or str(error) or type(error).__name__
