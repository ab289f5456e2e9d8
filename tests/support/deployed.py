"""A deployment in a real moto_server made from the synthesized stacks, and `stackyard verify` run against it.
The fixtures that hold them are in tests/stackyard/conftest.py."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from stackyard.config import default_config_text
from tests.support.deployment import MotoDeployment, write_outputs
from tests.support.processes import moto_server

REGION = "eu-west-1"
REDIS_PASSWORD_ENV = "STACKYARD_TEST_REDIS_PASSWORD"
REDIS_PASSWORD = "queue-secret-for-tests"
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Deployed:
    endpoint: str
    deployment: MotoDeployment
    outputs_file: Path
    config_file: Path

    def outputs(self) -> dict:
        return json.loads(self.outputs_file.read_text())

    def config_data(self) -> dict:
        return yaml.safe_load(self.config_file.read_text())

    def with_config(self, path: Path, change) -> Path:
        """A copy of the config file, changed by ``change(config)``."""
        config = self.config_data()
        change(config)
        path.write_text(yaml.safe_dump(config))
        return path

    def with_outputs(self, path: Path, change) -> Path:
        """A copy of the outputs file, changed by ``change(outputs)``."""
        outputs = self.outputs()
        change(outputs)
        write_outputs(path, outputs)
        return path


AWS_TEST_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}


def aws_env(endpoint: str) -> dict[str, str]:
    return {"AWS_ENDPOINT_URL": endpoint, **AWS_TEST_ENV}


def deploy(synth, workdir: Path, config_changes: dict | None = None, endpoint: str | None = None) -> Iterator[Deployed]:
    """The synthesized stacks in ``endpoint`` (an emulator holding nothing), else in a moto_server of their own;
    ``config_changes`` (sections merged over the default config) must be what ``synth`` was made from."""
    with contextlib.nullcontext(endpoint) if endpoint else moto_server() as endpoint:
        deployment = MotoDeployment(synth, endpoint, REGION)
        deployment.create_data_stack()
        deployment.create_workers_stack()
        deployment.create_cluster_instances()
        outputs_file = workdir / "outputs.json"
        write_outputs(outputs_file, deployment.outputs())
        # The default config, with the cluster's .pem pointing at a real file of mode 0400 (flambé's rule).
        pem = workdir / "my-pair.pem"
        pem.write_text("not a real key\n")
        pem.chmod(0o400)
        config = yaml.safe_load(default_config_text())
        config["cluster"]["key"] = str(pem)
        config["aws"]["endpoint_url"] = endpoint  # verify talks to the emulator the config names
        for section, values in (config_changes or {}).items():
            config[section] = {**config.get(section, {}), **values}
        config_file = workdir / "stackyard.yaml"
        config_file.write_text(yaml.safe_dump(config))
        yield Deployed(endpoint, deployment, outputs_file, config_file)


def run_verify(
    deployed: Deployed,
    *arguments: str,
    outputs_file: Path | None = None,
    config_file: Path | None = None,
    timeout: float = 120,
    environment: dict[str, str | None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`stackyard verify` as a user runs it, with ``environment``'s changes (None: unset). AWS_ENDPOINT_URL is not
    set: the config's aws.endpoint_url points at moto, as it does for a user who deployed into an emulator."""
    changes = {"AWS_ENDPOINT_URL": None, **(environment or {})}
    env = {**os.environ, **aws_env(deployed.endpoint), REDIS_PASSWORD_ENV: REDIS_PASSWORD}
    env = {**{k: v for k, v in env.items() if k not in changes}, **{k: v for k, v in changes.items() if v is not None}}
    command = [
        sys.executable, "-m", "stackyard.cli", "verify",
        "--outputs", str(outputs_file or deployed.outputs_file),
        "--config", str(config_file or deployed.config_file),
        *arguments,
    ]  # fmt: skip
    return subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def results_by_id(result: subprocess.CompletedProcess[str]) -> dict[str, dict]:
    return {check["id"]: check for check in json.loads(result.stdout)["checks"]}
