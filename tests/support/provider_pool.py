"""AWS provider processes that many `terraform` commands attach to, as Terraform lets a debugger do
(TF_REATTACH_PROVIDERS): the real provider binary and the real Terraform, started fewer times.

Each start of the AWS provider builds the schema of ~1,500 resources (~1.8 CPU-s here) and one command starts it
one to four times (validate 2, plan 3, apply 4): most of the e2e's CPU. An attached provider is started once.

A `terraform` put first on PATH leases an idle provider of the pool for each command (flock), so that commands side
by side never share one: a provider keeps the configuration (endpoints, region) of the command that configured it
last. What an attached run does differently: `terraform init` installs nothing for that provider (no lock file, no
.terraform/providers) — the scenarios that prove the plain path do not use a pool.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from tests.support.processes import stop, wait_until
from tests.support.terraform import plugin_mirror

PROVIDER = "registry.terraform.io/hashicorp/aws"
REATTACH = re.compile(r"TF_REATTACH_PROVIDERS='(\{.*\})'")

# A provider started to be attached logs every call at TRACE (~40 MB and a good part of its CPU for one deployment).
QUIET = dict.fromkeys(
    (
        "TF_LOG_PROVIDER",
        "TF_LOG_PROVIDER_AWS",
        "TF_LOG_SDK",
        "TF_LOG_SDK_PROTO",
        "TF_LOG_SDK_MUX",
        "TF_LOG_SDK_FRAMEWORK",
        "TF_LOG_SDK_HELPER_SCHEMA",
    ),
    "off",
)


LEASING_TERRAFORM = """#!/usr/bin/env bash
# terraform with an idle provider of the pool in {pool} attached (tests/support/provider_pool.py)
set -u
run() {{
  # one thread for Go: it mostly waits for the provider, and its collector then costs ~1/5 less CPU
  GOMAXPROCS=1 TF_REATTACH_PROVIDERS="$(cat "$1")" exec "{terraform}" "${{@:2}}"
}}
providers=("{pool}"/provider-*.json)
while true; do
  for reattach in "${{providers[@]}}"; do
    exec 9>"${{reattach%.json}}.lock"
    # the lock goes with fd 9 into terraform and is let go when it exits
    if flock -n 9; then run "$reattach" "$@"; fi
  done
  # every one is busy: wait (asleep, not polling) up to 2 s for one picked at random, then look at all again
  reattach=${{providers[RANDOM % ${{#providers[@]}}]}}
  exec 9>"${{reattach%.json}}.lock"
  if flock -w 2 9; then run "$reattach" "$@"; fi
done
"""


def provider_binary() -> Path | None:
    """The mirrored AWS provider (the one `terraform init` would install here), or None without a mirror."""
    mirror = plugin_mirror()
    if mirror is None:
        return None
    found = sorted((mirror / PROVIDER).glob("*/linux_amd64/terraform-provider-aws_*"))
    return found[-1] if found else None


@contextlib.contextmanager
def provider_pool(directory: Path, size: int, env: dict[str, str], memory: str = "2GiB") -> Iterator[Path | None]:
    """``size`` providers started in ``directory`` with ``env`` (the AWS credentials and region they read); yields
    the folder of the `terraform` that attaches one of them, for `attach` (None without a mirrored provider: then
    every command starts its own, as usual).

    ``memory`` is how far each provider's heap may grow before Go collects it. Its live heap is ~300 MB (the
    schema) and every call allocates much: with Go's default collector most of its CPU goes to marking that heap
    again and again; collected near 2 GiB it uses half the CPU (one deployment, plan and destroy on moto: 203 -> 107
    CPU-s of the provider)."""
    binary, terraform = provider_binary(), shutil.which("terraform", path=env.get("PATH"))
    if binary is None or terraform is None:
        yield None
        return
    directory.mkdir(parents=True, exist_ok=True)
    # With a CA bundle the provider wraps its HTTP client at each configuration, and the second configuration of one
    # process fails ("unable to add custom RootCAs HTTPClient"); the emulators speak plain HTTP on the loopback.
    provider_env = {name: value for name, value in env.items() if name != "AWS_CA_BUNDLE"} | QUIET
    provider_env |= {"GOGC": "off", "GOMEMLIMIT": memory}
    with contextlib.ExitStack() as stack:
        for index in range(size):
            log = directory / f"provider-{index}.log"
            process = subprocess.Popen(
                [str(binary), "-debug"],
                cwd=directory,
                env=provider_env,
                stdin=subprocess.DEVNULL,
                stdout=stack.enter_context(log.open("w")),
                stderr=subprocess.STDOUT,
            )
            stack.callback(stop, process)
            wait_until(lambda log=log: REATTACH.search(log.read_text()), timeout=60, what=f"AWS provider {index}")
            reattach = json.loads(REATTACH.search(log.read_text()).group(1))  # type: ignore[union-attr]
            assert reattach[PROVIDER]["Pid"] == process.pid, reattach
            (directory / f"provider-{index}.json").write_text(json.dumps(reattach))
        leasing = directory / "bin" / "terraform"
        leasing.parent.mkdir(exist_ok=True)
        leasing.write_text(LEASING_TERRAFORM.format(pool=directory, terraform=terraform))
        leasing.chmod(0o755)
        yield leasing.parent


def attach(env: dict[str, str], attaching: Path | None) -> dict[str, str]:
    """``env`` whose `terraform` attaches a provider of the pool (``attaching``: what `provider_pool` yields)."""
    if attaching is None:
        return env
    return {**env, "PATH": f"{attaching}{os.pathsep}{env.get('PATH', '')}"}
