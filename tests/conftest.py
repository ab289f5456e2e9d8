"""Session fixtures: the provider bindings are imported and each config synthesized once per session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from stacks.provider_bindings import load_lazily
from stackyard.config import StackyardConfig, load_config, load_default_config, validate_config_data
from tests.support import lanes
from tests.support.deployed import AWS_TEST_ENV
from tests.support.provider_pool import provider_pool
from tests.support.synth import Synthesized, synthesize
from tests.support.terraform import cli_config

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
REPO = Path(__file__).resolve().parent.parent
EVERYTHING_ON = REPO / "examples" / "everything-on.yaml"
# Before any test module imports the framework: each pytest process loads the provider bindings it uses, not all.
load_lazily()
if lanes.fast() and "STACKYARD_REAL_TERRAFORM" not in os.environ:
    os.environ["STACKYARD_REAL_TERRAFORM"] = shutil.which("terraform") or ""
    os.environ["PATH"] = f"{lanes.REFUSING_BIN}{os.pathsep}{os.environ['PATH']}"


@pytest.fixture(scope="session")
def attached_terraform(tmp_path_factory) -> Iterator[Path | None]:
    """Two AWS providers for this test process, started once; the folder of the `terraform` that attaches one (give
    it to `attach`). For tests that deploy: most of their CPU is the provider starting again for each command."""
    env = {**os.environ, **AWS_TEST_ENV}
    with provider_pool(tmp_path_factory.mktemp("providers"), 2, env, memory="1GiB") as attaching:
        yield attaching


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests that use an emulator or Terraform fixture; in the fast lane, deselect every marked test."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & lanes.EMULATOR_FIXTURES:
            item.add_marker(pytest.mark.emulator)
        if used & lanes.TERRAFORM_FIXTURES:
            item.add_marker(pytest.mark.terraform)
    if lanes.fast():
        heavy = [item for item in items if any(item.get_closest_marker(mark) for mark in lanes.HEAVY_MARKS)]
        if heavy:
            config.hook.pytest_deselected(items=heavy)
            items[:] = [item for item in items if item not in set(heavy)]


@pytest.fixture(scope="session", autouse=True)
def isolated_synth_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """main.py runs in tests keep their synth cache to the session, not the user's ~/.cache."""
    os.environ.setdefault("STACKYARD_SYNTH_CACHE", str(tmp_path_factory.mktemp("synth-cache")))


@pytest.fixture(scope="session")
def default_config() -> StackyardConfig:
    return load_default_config()


@pytest.fixture(scope="session")
def synth_config(tmp_path_factory: pytest.TempPathFactory) -> Callable[[dict], Synthesized]:
    """Synthesize a config given as a dict (cached: the same dict is synthesized once per session)."""
    cache: dict[str, Synthesized] = {}

    def run(data: dict) -> Synthesized:
        key = repr(sorted(data.items()))
        if key not in cache:
            config = validate_config_data(data, "test config")
            cache[key] = synthesize(config, tmp_path_factory.mktemp("synth"))
        return cache[key]

    return run


@pytest.fixture(scope="session")
def default_synth(default_config: StackyardConfig, tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    return synthesize(default_config, tmp_path_factory.mktemp("default-synth"))


@pytest.fixture(scope="session")
def terraform_cli_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cli_config(tmp_path_factory.mktemp("terraform"))


@pytest.fixture(scope="session")
def everything_on_synth(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    """examples/everything-on.yaml: every optional feature on, every optional value set."""
    return synthesize(load_config(EVERYTHING_ON), tmp_path_factory.mktemp("everything-on-synth"))
