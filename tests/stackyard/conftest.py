"""Fixtures of the verification tests: a healthy deployment in a real moto_server (shared), fresh ones for tests
that break something, and a real TLS redis-server standing in for the queue."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.deployed import REDIS_PASSWORD, Deployed, deploy
from tests.support.processes import RedisServer, TlsFiles, redis_server, self_signed_certificate


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
