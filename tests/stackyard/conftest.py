"""Fixtures of the verification and discovery tests, each a real moto_server: a healthy deployment (shared), fresh
ones for tests that break something, an estate made the seeds' console way (shared, and fresh ones), an empty
account; and a real TLS redis-server standing in for the queue."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support import console_estate
from tests.support.deployed import REDIS_PASSWORD, REGION, Deployed, deploy
from tests.support.processes import RedisServer, TlsFiles, moto_server, redis_server, self_signed_certificate


@pytest.fixture(scope="session")
def deployed(default_synth, tmp_path_factory) -> Iterator[Deployed]:
    """Shared, never changed: for checks of a healthy deployment."""
    yield from deploy(default_synth, tmp_path_factory.mktemp("deployed"))


@pytest.fixture
def fresh_deployment(default_synth, tmp_path) -> Iterator[Deployed]:
    """A deployment of its own, for tests that break something."""
    yield from deploy(default_synth, tmp_path)


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
def fresh_estate() -> Iterator[console_estate.Estate]:
    """An estate of its own, for tests that change it."""
    with moto_server() as endpoint:
        yield console_estate.build(endpoint, REGION)


@pytest.fixture(scope="session")
def empty_account() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint
