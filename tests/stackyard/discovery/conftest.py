"""``find`` runs one finder with the example config pointed at an emulator: the console-made estate or the empty
account of tests/stackyard/conftest.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from stackyard.config import validate_config_data
from stackyard.discovery.core.base import Finder, Finding
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.core.runner import run_finder
from tests.support.console_estate import example_config

Find = Callable[..., Finding]


@pytest.fixture
def find(monkeypatch: pytest.MonkeyPatch) -> Find:
    """find(FinderClass, endpoint, config=change(config)) -> the Finding."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")

    def run(finder: type[Finder], endpoint: str, config: Callable[[dict], Any] | None = None) -> Finding:
        context = DiscoveryContext(validate_config_data(example_config(endpoint, config), "test config"))
        return run_finder(finder(), context)

    return run
