"""Fixtures of the verification and discovery tests, each on a real moto_server: a healthy deployment (shared), fresh
ones for tests that break something, an estate made the seeds' console way (shared, and fresh ones), an empty
account; and a real TLS redis-server standing in for the queue. The fresh ones share one moto_server per test
process, reset before each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import EVERYTHING_ON
from tests.support import console_estate
from tests.support.cli import run_stackyard
from tests.support.customer_queue import (
    CUSTOMER_QUEUE,
    RedisFiles,
    customer_config_data,
    run_password_step,
    write_redis_files,
)
from tests.support.deployed import REDIS_PASSWORD, REGION, Deployed, deploy
from tests.support.processes import (
    RedisServer,
    TlsFiles,
    localstack_server,
    moto_server,
    redis_server,
    redis_server_from_config,
    reset_moto,
    self_signed_certificate,
)


@pytest.fixture(scope="session")
def deployed(default_synth, tmp_path_factory) -> Iterator[Deployed]:
    """Shared, never changed: for checks of a healthy deployment."""
    yield from deploy(default_synth, tmp_path_factory.mktemp("deployed"))


@pytest.fixture(scope="session")
def scratch_moto() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def fresh_moto(scratch_moto) -> str:
    """An emulator holding nothing, for this test alone (the process's scratch moto_server, reset)."""
    reset_moto(scratch_moto)
    return scratch_moto


@pytest.fixture
def fresh_deployment(default_synth, fresh_moto, tmp_path) -> Iterator[Deployed]:
    """A deployment of its own, for tests that break something."""
    yield from deploy(default_synth, tmp_path, endpoint=fresh_moto)


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory) -> TlsFiles:
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def queue_redis(tls_files, tmp_path_factory) -> Iterator[RedisServer]:
    with redis_server(tls_files, REDIS_PASSWORD, tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(scope="session")
def estate() -> Iterator[console_estate.Estate]:
    with moto_server() as endpoint:
        yield console_estate.build(endpoint, REGION)


@pytest.fixture
def fresh_estate(fresh_moto) -> console_estate.Estate:
    """An estate of its own, for tests that change it."""
    return console_estate.build(fresh_moto, REGION)


@pytest.fixture(scope="session")
def empty_account() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def customer_deployed(synth_config, tmp_path_factory) -> Iterator[Deployed]:
    """queue.installed_by customer: the secret, its policy and the queue's role, in moto; the secret still empty."""
    synth = synth_config(customer_config_data())
    yield from deploy(synth, tmp_path_factory.mktemp("customer"), {"queue": CUSTOMER_QUEUE})


@pytest.fixture(scope="session")
def queue_password(customer_deployed) -> str:
    """The queue's first boot: the generated password step, run with the AWS CLI, makes and stores the password."""
    secret_name = customer_deployed.outputs()["workers"]["queue_password_secret_name"]  # as the instance reads it
    result = run_password_step(customer_deployed.endpoint, secret_name)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="session")
def customer_redis(queue_password, tmp_path_factory) -> Iterator[tuple[RedisFiles, RedisServer]]:
    """Redis from the generated redis.conf, with the password from the secret and the hook's certificate copy."""
    files = write_redis_files(tmp_path_factory.mktemp("customer-redis"), queue_password)
    with redis_server_from_config(files.config_file, files.redis.port, files.first_certificate.cert) as server:
        yield files, server


@pytest.fixture(scope="session")
def localstack_endpoint(tmp_path_factory) -> Iterator[str]:
    """LocalStack 4.7 (a Python process from .venv-localstack): for what moto answers and LocalStack does not."""
    with localstack_server(tmp_path_factory.mktemp("localstack")) as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def make_bundle(tmp_path_factory) -> Callable[[str], Path]:
    """`stackyard handoff bundle` of the default config ("default") or of examples/everything-on.yaml
    ("everything-on"), made once each per test process; tests read it and never change it."""
    made: dict[str, Path] = {}

    def make(name: str) -> Path:
        if name not in made:
            out = tmp_path_factory.mktemp(f"bundle-{name}") / "bundle"
            config = {"default": [], "everything-on": ["--config", str(EVERYTHING_ON)]}[name]
            result = run_stackyard("handoff", "bundle", "--out", str(out), *config, timeout=300)
            assert result.returncode == 0, result.stderr
            made[name] = out
        return made[name]

    return make


@pytest.fixture(scope="session", params=["default", "everything-on"])
def bundle(request, make_bundle) -> Path:
    """The bundle of the default config, then of examples/everything-on.yaml."""
    return make_bundle(request.param)
