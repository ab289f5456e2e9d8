"""`make bench`: how long stackyard takes on this machine, as a Markdown table for the README.

Synth: `python main.py` on the default config, warm (median of N runs) and cold (empty jsii package cache, no
bytecode cache), beside the plain cdktf way (every provider module imported, normal interpreter exit) and
`npx cdktf synth`. Peak memory is the whole process tree's (python + jsii's node), sampled every 10 ms.
Verify: `stackyard verify` against a moto_server deployment, its wall time beside its slowest single check.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Run:
    seconds: float
    peak_mib: float


def measure(command: list[str], env: dict[str, str] | None = None, cwd: Path = REPO) -> Run:
    """Wall time and peak RSS summed over the process and its children (jsii's node)."""
    started = time.perf_counter()
    process = psutil.Popen(
        command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    while process.poll() is None:
        with contextlib.suppress(psutil.Error):
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed:\n{process.stderr.read().decode()[-2000:]}")
    return Run(seconds, peak / 2**20)


def synth_runs(runs: int, env: dict[str, str] | None = None) -> list[Run]:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as outdir:
            results.append(measure([PYTHON, "main.py"], {"CDKTF_OUTDIR": outdir, **(env or {})}))
    return results


def environments_config(count: int, directory: Path) -> Path:
    """The default config with ``count`` environments, each with its own bucket."""
    import yaml

    from stackyard.config.loader import default_config_text

    config = yaml.safe_load(default_config_text())
    config["environments"] = [
        {"name": f"env{n}", "overrides": {"data_store": {"bucket_name": f"my-valohai-bucket-env{n}"}}}
        for n in range(count)
    ]
    path = directory / f"environments-{count}.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def environment_runs(count: int, runs: int) -> list[Run]:
    with tempfile.TemporaryDirectory() as directory:
        config = environments_config(count, Path(directory))
        return synth_runs(runs, {"STACKYARD_CONFIG": str(config)})


def cold_synth_runs(runs: int) -> list[Run]:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            env = {"JSII_RUNTIME_PACKAGE_CACHE_ROOT": f"{cache}/jsii", "PYTHONPYCACHEPREFIX": f"{cache}/pyc"}
            results.extend(synth_runs(1, env))
    return results


def npx_synth_runs(runs: int) -> list[Run]:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as outdir:
            npx = ["npx", "--no-install", "cdktf", "synth", "--output", outdir]
            results.append(measure(npx, {"CI": "1", "CHECKPOINT_DISABLE": "1"}))
    return results


def verify_runs(runs: int) -> list[tuple[float, float, float]]:
    """(process wall s, report duration s, slowest check s) of `stackyard verify` against moto."""
    from stacks.provider_bindings import load_lazily
    from stackyard.config import load_default_config

    load_lazily()
    from tests.checks.conftest import aws_env, deploy
    from tests.support.synth import synthesize

    results = []
    with tempfile.TemporaryDirectory() as workdir:
        synth = synthesize(load_default_config(), Path(workdir) / "synth")
        with contextlib.contextmanager(deploy)(synth, Path(workdir)) as deployed:
            for _ in range(runs):
                command = [PYTHON, "-m", "stackyard.cli", "verify", "--format", "json"]
                command += ["--outputs", str(deployed.outputs_file), "--config", str(deployed.config_file)]
                command += ["--skip", "cluster-ssh", "--skip", "store-tls-only", "--skip", "queue-redis-tls"]
                started = time.perf_counter()
                done = subprocess.run(
                    command, cwd=REPO, env={**os.environ, **aws_env(deployed.endpoint)}, capture_output=True, text=True
                )
                wall = time.perf_counter() - started
                report = json.loads(done.stdout)
                slowest = max(check["duration_s"] for check in report["checks"])
                results.append((wall, report["summary"]["duration_s"], slowest))
    return results


def row(what: str, runs: list[Run], target: str = "") -> str:
    seconds = statistics.median(run.seconds for run in runs)
    peak = statistics.median(run.peak_mib for run in runs)
    spread = f"{min(r.seconds for r in runs):.2f}-{max(r.seconds for r in runs):.2f}"
    return f"| {what} | {len(runs)} | {seconds:.2f} s ({spread}) | {peak:.0f} MiB | {target} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per warm measurement (median reported)")
    parser.add_argument("--quick", action="store_true", help="skip npx cdktf synth and verify")
    args = parser.parse_args()
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

    rows = [
        "| what | runs | median wall (min-max) | median peak RSS (python + node) | target |",
        "|------|------|-----------------------|---------------------------------|--------|",
    ]
    synth_runs(1)  # fill the jsii package cache and bytecode caches
    rows.append(row("`python main.py`, default config, warm", synth_runs(args.runs), "≤ 4 s, ≤ 700 MiB"))
    rows.append(row("`python main.py`, cold (empty jsii + bytecode caches)", cold_synth_runs(2)))
    plain = {"STACKYARD_EAGER_PROVIDER": "1", "STACKYARD_GRACEFUL_EXIT": "1"}
    rows.append(row("the plain cdktf way: every provider module, normal exit", synth_runs(3, plain), "(before)"))
    rows.append(row("lazy provider modules, normal exit", synth_runs(3, {"STACKYARD_GRACEFUL_EXIT": "1"})))
    for count in (1, 10, 50):
        target = "≤ 1.5 x one environment" if count == 50 else ""
        rows.append(row(f"{count} environment(s), {3 * count} stacks", environment_runs(count, 3), target))
    if not args.quick:
        rows.append(row("`npx cdktf synth` (cdktf-cli 0.21.0 runs main.py)", npx_synth_runs(3)))
        for wall, duration, slowest in verify_runs(3):
            ratio = duration / slowest if slowest else float("nan")
            rows.append(
                f"| `stackyard verify` vs moto (11 checks): process {wall:.2f} s, checks {duration:.2f} s, "
                f"slowest check {slowest:.2f} s | 1 | ratio {ratio:.2f} | - | ≤ 1.3 x slowest |"
            )
    machine = f"{platform.node()}: {platform.system()} {platform.machine()}, {os.cpu_count()} cores"
    print(f"stackyard bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine}, Python {platform.python_version()}")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
