"""The customer-installed queue, made of its generated parts: the config that asks for it, the first-boot password
step run with the real AWS CLI against moto (as the instance runs it), and Redis started from the generated
redis.conf with certificates put in place by the generated certbot hook."""

from __future__ import annotations

import grp
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from stacks.components.queue_first_boot import PasswordFromSecret
from stacks.components.redis_tls import RedisTls
from stackyard.config import default_config_text
from tests.support.deployed import REGION, aws_env
from tests.support.processes import TlsFiles, certificate_files, free_port

REPO = Path(__file__).resolve().parents[2]
AWS_CLI = Path(os.environ.get("STACKYARD_AWS_CLI", REPO / ".venv-awscli" / "bin" / "aws"))
QUEUE_ADDRESS = "my-queue.vqueue.net"
CUSTOMER_QUEUE = {
    "installed_by": "customer",
    "admin_ssh_cidr": "198.51.100.7/32",
    "address": QUEUE_ADDRESS,
    "acme_email": "ops@example.com",
}


def customer_config_data() -> dict:
    """The default config with the queue installed by the customer."""
    data = yaml.safe_load(default_config_text())
    data["queue"] = {**(data.get("queue") or {}), **CUSTOMER_QUEUE}
    return data


def run_password_step(endpoint: str, secret_id: str) -> subprocess.CompletedProcess[str]:
    """The first-boot script's password function, run by bash with the AWS CLI against the emulator."""
    assert AWS_CLI.exists(), f"the AWS CLI is missing at {AWS_CLI}: `make install` builds .venv-awscli"
    environment = {
        **os.environ,
        **aws_env(endpoint),
        "PATH": f"{AWS_CLI.parent}{os.pathsep}{os.environ['PATH']}",
    }
    script = PasswordFromSecret(secret_id=secret_id, region=REGION).standalone()
    return subprocess.run(["bash", "-c", script], env=environment, capture_output=True, text=True, timeout=120)


@dataclass(frozen=True)
class RedisFiles:
    """The generated Redis files of the queue, in a test directory instead of /etc/redis."""

    redis: RedisTls
    config_file: Path
    hook_file: Path
    first_certificate: TlsFiles

    def install_certificate(self, lineage: Path) -> subprocess.CompletedProcess[str]:
        """What certbot does after issuing or renewing: run the deploy hook with RENEWED_LINEAGE."""
        environment = {**os.environ, "RENEWED_LINEAGE": str(lineage)}
        return subprocess.run(["bash", str(self.hook_file)], env=environment, capture_output=True, text=True)


def write_redis_files(directory: Path, password: str) -> RedisFiles:
    """redis.conf, the password include (as the first-boot script writes it) and the certbot hook, then the hook
    run once for a first certificate, before Redis starts (as at first boot)."""
    redis = RedisTls(
        port=free_port(),
        tls_dir=str(directory / "tls"),
        password_file=str(directory / "stackyard-password.conf"),
        data_dir=str(directory / "data"),
        group=_own_group(),
    )
    (directory / "data").mkdir(parents=True)
    Path(redis.password_file).write_text(f"requirepass {password}\n")
    config_file, hook_file = directory / "redis.conf", directory / "stackyard-redis-reload"
    config_file.write_text(redis.config())
    hook_file.write_text(redis.reload_hook())
    hook_file.chmod(0o755)
    first = certificate_files(directory / "live-1")
    files = RedisFiles(redis, config_file, hook_file, first)
    installed = files.install_certificate(first.cert.parent)
    assert installed.returncode == 0 and "not running" in installed.stdout, installed.stdout + installed.stderr
    return files


def _own_group() -> str:
    return grp.getgrgid(os.getgid()).gr_name
