"""Real server processes for the tests, on free loopback ports, always stopped afterwards."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

from tests.support.aws import emulator_client
from tests.support.lanes import refuse_in_the_fast_lane

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


class ServerExited(RuntimeError):
    """The server process ended before it was ready (e.g. its port was taken)."""


def wait_until(ready, timeout: float = 30.0, what: str = "server", process: subprocess.Popen | None = None) -> None:
    """Until ``ready()`` is true; ServerExited at once when ``process`` ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServerExited(f"{what} exited with {process.returncode} before it was ready")
        with contextlib.suppress(Exception):
            if ready():
                return
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not become ready within {timeout:g} s")


def listens(process: subprocess.Popen, port: int) -> bool:
    """Whether ``process`` (or a child of it) listens on ``port`` itself: between free_port() and the server's
    start another one may take the port, and would answer a readiness check for it."""
    root = psutil.Process(process.pid)
    for member in (root, *root.children(recursive=True)):
        with contextlib.suppress(psutil.Error):
            if any(c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in member.net_connections("tcp")):
                return True
    return False


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


MOTO_LOGS: dict[str, Path] = {}  # each running moto_server's log, by URL


def moto_faults(url: str) -> str:
    """The tracebacks moto_server at ``url`` logged so far: its own failures, which it answers with a bare 500."""
    log = MOTO_LOGS.get(url)
    text = log.read_text(errors="replace") if log and log.exists() else ""
    if "Traceback" not in text:
        return ""
    return "\n".join(line for line in text.splitlines() if not line.startswith(f"{LOOPBACK} - - "))  # no access log


def _moto_on_a_free_port(binary: Path) -> tuple[subprocess.Popen, str]:
    """One ready moto_server on a free port; ServerExited when another server took the port before it bound it."""
    port = free_port()
    url = f"http://{LOOPBACK}:{port}"
    log = MOTO_LOGS[url] = Path(tempfile.mkstemp(prefix="moto-server-", suffix=".log")[1])
    with log.open("w") as sink:
        process = subprocess.Popen([str(binary), "-H", LOOPBACK, "-p", str(port)], stdout=sink, stderr=sink)
    try:
        wait_until(
            lambda: listens(process, port) and urllib.request.urlopen(f"{url}/moto-api/", timeout=1).status == 200,
            what="moto_server",
            process=process,
        )
    except BaseException:
        stop(process)
        MOTO_LOGS.pop(url).unlink(missing_ok=True)
        raise
    return process, url


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """`moto_server` (moto's real HTTP endpoint); yields its URL."""
    refuse_in_the_fast_lane("moto_server")
    binary = Path(sys.executable).with_name("moto_server")
    for attempt in range(3):
        try:
            process, url = _moto_on_a_free_port(binary)
            break
        except ServerExited:
            if attempt == 2:
                raise
    try:
        # moto loads its EC2 backend at the first EC2 request (~3 s alone, over 10 s on a loaded machine): here, not
        # inside a test whose stackyard clients give up after 10 s.
        emulator_client("ec2", url, "us-east-1").describe_regions()
        yield url
    finally:
        stop(process)
        MOTO_LOGS.pop(url).unlink(missing_ok=True)


LOCALSTACK_PYTHON = Path(__file__).resolve().parents[2] / ".venv-localstack" / "bin" / "python"


@contextlib.contextmanager
def localstack_server(workdir: Path) -> Iterator[str]:
    """LocalStack as a Python process (no Docker), from its own venv (`make install` builds .venv-localstack), on a
    free loopback port; yields its URL. Its log is <workdir>/localstack.log."""
    refuse_in_the_fast_lane("LocalStack")
    assert LOCALSTACK_PYTHON.exists(), f"LocalStack is missing at {LOCALSTACK_PYTHON}: `make install` builds it"
    port = free_port()
    url = f"http://{LOOPBACK}:{port}"
    environment = {
        **os.environ,
        "GATEWAY_LISTEN": f"{LOOPBACK}:{port}",
        "LOCALSTACK_HOST": f"{LOOPBACK}:{port}",
        "DNS_DISABLED": "1",  # no DNS server of its own on the machine
        "DISABLE_EVENTS": "1",  # no analytics calls home
        "FILESYSTEM_ROOT": str(workdir / "localstack"),
    }
    log = (workdir / "localstack.log").open("w")
    process = subprocess.Popen(
        [str(LOCALSTACK_PYTHON), "-m", "localstack.runtime.main"], env=environment, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_until(
            lambda: (
                listens(process, port) and urllib.request.urlopen(f"{url}/_localstack/health", timeout=1).status == 200
            ),
            timeout=120,
            what="LocalStack",
            process=process,
        )
        yield url
    finally:
        stop(process)
        log.close()


@dataclass
class SilentEndpoint:
    url: str
    held: list[socket.socket]

    @property
    def connections(self) -> int:
        """Connections opened so far: each request that is not retried opens one (a timed-out one is not reused)."""
        return len(self.held)


@contextlib.contextmanager
def silent_endpoint() -> Iterator[SilentEndpoint]:
    """A TCP endpoint that accepts every connection and never answers: a hung proxy or emulator."""
    server = socket.create_server((LOOPBACK, 0))
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stopping = threading.Event()

    def accept() -> None:
        while not stopping.is_set():
            with contextlib.suppress(TimeoutError):
                held.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield SilentEndpoint(f"http://{LOOPBACK}:{server.getsockname()[1]}", held)
    finally:
        stopping.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()


@contextlib.contextmanager
def faulty_endpoint(body: bytes, drip: float | None = None, cut_at: int | None = None) -> Iterator[str]:
    """An HTTP endpoint that answers every request 200 with ``body`` (its whole length announced), badly: one byte
    each ``drip`` seconds (a slow link: every read is quick, the answer is not), or only its first ``cut_at``
    bytes, then the connection closed (a dropped link)."""
    server = socket.create_server((LOOPBACK, 0))
    server.settimeout(0.2)
    stopping = threading.Event()

    def answer(connection: socket.socket) -> None:
        with connection, contextlib.suppress(OSError):
            request = b""
            while b"\r\n\r\n" not in request:
                request += connection.recv(65536) or b"\r\n\r\n"
            head = f"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {len(body)}\r\n\r\n"
            connection.sendall(head.encode())
            if cut_at is not None:
                connection.sendall(body[:cut_at])
                return
            for byte in body:
                if stopping.wait(drip or 0):
                    return
                connection.sendall(bytes([byte]))

    def accept() -> None:
        while not stopping.is_set():
            with contextlib.suppress(TimeoutError):
                threading.Thread(target=answer, args=(server.accept()[0],), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.getsockname()[1]}"
    finally:
        stopping.set()
        thread.join()
        server.close()


def reset_moto(url: str) -> None:
    """moto's own reset: every resource of every account and region forgotten, IAM enforcement off; what a new
    moto_server holds, without the ~5 s of starting one and loading its EC2 backend."""
    request = urllib.request.Request(f"{url}/moto-api/reset", data=b"", method="POST")
    urllib.request.urlopen(request, timeout=30).read()
    set_moto_auth(url, enforce=False)


def set_moto_auth(url: str, enforce: bool) -> None:
    """Turn moto's IAM enforcement on (every following request must be allowed) or off."""
    request = urllib.request.Request(
        f"{url}/moto-api/reset-auth",
        data=b"0" if enforce else b"inf",
        method="POST",
        headers={"Content-Type": "text/plain"},  # moto reads the raw body; a form body would arrive empty
    )
    urllib.request.urlopen(request, timeout=5).read()


@dataclass(frozen=True)
class TlsFiles:
    cert: Path
    key: Path


def self_signed_certificate(directory: Path) -> TlsFiles:
    """A certificate for 127.0.0.1 (its own CA), made with the openssl CLI."""
    cert, key = directory / "redis.crt", directory / "redis.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert),
            "-subj", f"/CN={LOOPBACK}", "-addext", f"subjectAltName=IP:{LOOPBACK}",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return TlsFiles(cert=cert, key=key)


@dataclass(frozen=True)
class RedisServer:
    port: int
    process: subprocess.Popen

    @property
    def address(self) -> str:
        return f"{LOOPBACK}:{self.port}"


@contextlib.contextmanager
def redis_server(tls: TlsFiles | None, password: str | None, workdir: Path) -> Iterator[RedisServer]:
    """Debian's redis-server: TLS-only on a free port (like the queue), or plaintext when tls is None."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: `make test` installs it (Debian package redis-server)"
    port = free_port()
    arguments = [binary, "--save", "", "--appendonly", "no", "--bind", LOOPBACK, "--dir", str(workdir)]
    if tls is not None:
        arguments += ["--port", "0", "--tls-port", str(port), "--tls-cert-file", str(tls.cert)]
        arguments += ["--tls-key-file", str(tls.key), "--tls-ca-cert-file", str(tls.cert), "--tls-auth-clients", "no"]
    else:
        arguments += ["--port", str(port)]
    if password:
        arguments += ["--requirepass", password]
    process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: _accepts(port, tls.cert if tls else None), what="redis-server")
        yield RedisServer(port, process)
    finally:
        stop(process)


def _accepts(port: int, ca_file: Path | None) -> bool:
    """Whether the port accepts a connection (and, given a CA file, a TLS handshake it verifies)."""
    with socket.create_connection((LOOPBACK, port), timeout=1) as raw:
        if ca_file is None:
            return True
        context = ssl.create_default_context(cafile=str(ca_file))
        with context.wrap_socket(raw, server_hostname=LOOPBACK):
            return True


def certificate_files(directory: Path) -> TlsFiles:
    """A fresh certificate for 127.0.0.1, under the names certbot gives a lineage (fullchain.pem, privkey.pem)."""
    directory.mkdir(parents=True, exist_ok=True)
    made = self_signed_certificate(directory)
    cert, key = made.cert.rename(directory / "fullchain.pem"), made.key.rename(directory / "privkey.pem")
    return TlsFiles(cert=cert, key=key)


@contextlib.contextmanager
def redis_server_from_config(config_file: Path, port: int, ca_file: Path) -> Iterator[RedisServer]:
    """Debian's redis-server started with a redis.conf as written, bound to loopback only (the config binds to
    every interface, as the queue must)."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: `make test` installs it (Debian package redis-server)"
    process = subprocess.Popen(
        [binary, str(config_file), "--bind", LOOPBACK], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        wait_until(lambda: _accepts(port, ca_file), what="redis-server")
        yield RedisServer(port, process)
    finally:
        stop(process)
