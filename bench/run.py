"""`make bench`: how long stackyard takes on this machine, as a Markdown table for the README.

Synth: `python main.py` on the default config, warm (median of N runs) and cold (empty jsii package cache, no
bytecode cache), beside the plain cdktf way (every provider module imported, normal interpreter exit) and
`npx cdktf synth`; then the same on CDK Terrain (.venv-cdktn, STACKYARD_ENGINE=cdktn), in the same run. Peak
memory is the whole process tree's (python + jsii's node), sampled every 10 ms.
Environments: 1/10/50 built from scratch (synth cache off), and 50 with one changed since the last synth.
Verify: `stackyard verify` against a moto_server deployment, its wall time beside its slowest single check; the S3
round-trip probe (store-round-trip) beside `aws s3 cp` of the same 1 MiB on the same endpoint. Store speed:
`stackyard store speed` at 1 MiB and 256 MiB, up and down, beside `aws s3 cp` of the same sizes there.
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

from stackyard.outputs import StackOutputs
from tests.support.engines import CDKTN_APP, CDKTN_PYTHON, cdktn_environment

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


def synth_runs(runs: int, env: dict[str, str] | None = None, python: str = PYTHON) -> list[Run]:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as outdir:
            results.append(measure([python, "main.py"], {"CDKTF_OUTDIR": outdir, **(env or {})}))
    return results


def cdktn_synth_runs(runs: int, env: dict[str, str] | None = None) -> list[Run]:
    """`python main.py` on CDK Terrain: its venv's Python, STACKYARD_ENGINE=cdktn."""
    return synth_runs(runs, {**cdktn_environment(), **(env or {})}, python=str(CDKTN_PYTHON))


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
    """Every environment built through cdktf (the synth cache off)."""
    with tempfile.TemporaryDirectory() as directory:
        config = environments_config(count, Path(directory))
        return synth_runs(runs, {"STACKYARD_CONFIG": str(config), "STACKYARD_SYNTH_CACHE": "off"})


def changed_environment_runs(count: int, runs: int) -> list[Run]:
    """``count`` environments after one of them changed: the others come from the synth cache."""
    import yaml

    with tempfile.TemporaryDirectory() as directory:
        config = environments_config(count, Path(directory))
        env = {"STACKYARD_CONFIG": str(config), "STACKYARD_SYNTH_CACHE": f"{directory}/cache"}
        synth_runs(1, env)  # the synth before the change
        results = []
        for run in range(runs):
            data = yaml.safe_load(config.read_text())
            data["environments"][run]["overrides"]["data_store"]["bucket_name"] += "-changed"
            config.write_text(yaml.safe_dump(data))
            results.extend(synth_runs(1, env))
        return results


def cold_synth_runs(runs: int) -> list[Run]:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            env = {"JSII_RUNTIME_PACKAGE_CACHE_ROOT": f"{cache}/jsii", "PYTHONPYCACHEPREFIX": f"{cache}/pyc"}
            results.extend(synth_runs(1, env))
    return results


def npx_synth_runs(runs: int, engine: str = "cdktf") -> list[Run]:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as outdir:
            npx = ["npx", "--no-install", engine, "synth", "--output", outdir]
            env = {"CI": "1", "CHECKPOINT_DISABLE": "1"}
            if engine == "cdktn":
                npx += ["--app", CDKTN_APP]
                env = {**cdktn_environment(), **env}
            results.append(measure(npx, env))
    return results


@dataclass
class VerifyRun:
    wall: float
    """`stackyard verify` process wall time, s"""
    checks: float
    """the report's duration (all checks, concurrently), s"""
    slowest: float
    """the slowest single check, s"""
    count: int
    """how many checks ran"""


@dataclass
class RoundTrip:
    probe_put: float
    probe_get: float
    """store-round-trip's own put/get timings of its 1 MiB object, s"""
    cli_up: float
    cli_down: float
    """`aws s3 cp` wall time of the same size up and down, s (includes the CLI's start)"""
    cli_start: float
    """`aws --version` wall time, s: the CLI's start alone"""


def aws_cli_round_trips(aws: str, bucket: str, env: dict[str, str], runs: int) -> list[tuple[float, float, float]]:
    results = []
    with tempfile.TemporaryDirectory() as directory:
        upload, download = Path(directory) / "up.bin", Path(directory) / "down.bin"
        upload.write_bytes(os.urandom(1024 * 1024))
        for run in range(runs):
            target = f"s3://{bucket}/stackyard-bench/{run}.bin"
            timings = []
            for command in (
                [aws, "--version"],
                [aws, "s3", "cp", str(upload), target],
                [aws, "s3", "cp", target, str(download)],
            ):
                started = time.perf_counter()
                subprocess.run(command, env=env, check=True, capture_output=True)
                timings.append(time.perf_counter() - started)
            if download.read_bytes() != upload.read_bytes():
                raise SystemExit("bench: aws s3 cp read back different bytes")
            subprocess.run([aws, "s3", "rm", target], env=env, check=True, capture_output=True)
            results.append((timings[0], timings[1], timings[2]))
    return results


SPEED_SIZES = (2**20, 256 * 2**20)


def store_speed_rows(deployed, env: dict[str, str], aws_cli: str | None, runs: int) -> list[str]:
    """`stackyard store speed` up and down at 1 MiB and 256 MiB beside `aws s3 cp` of the same sizes on the same
    endpoint: stackyard's median raw transfer time against the CLI's whole command minus its own start."""
    sizes = ",".join(f"{size // 2**20}MiB" for size in SPEED_SIZES)
    with tempfile.TemporaryDirectory() as directory:
        report_file = Path(directory) / "speed.json"
        command = [PYTHON, "-m", "stackyard.cli", "store", "speed", "--sizes", sizes, "--runs", str(runs)]
        command += ["--outputs", str(deployed.outputs_file), "--config", str(deployed.config_file)]
        command += ["--format", "json", "--output-file", str(report_file)]
        process = measure(command, env)
        report = json.loads(report_file.read_text())
    ours = {(m["direction"], m["size_bytes"]): m["median_raw_s"] for m in report["measurements"]}
    bucket = StackOutputs(deployed.deployment.outputs(), "moto deployment").find("bucket_name")
    theirs = aws_cli_transfers(aws_cli, bucket, env, runs) if aws_cli else {}
    rows = []
    for size in SPEED_SIZES:
        for direction in ("upload", "download"):
            mine = ours[(direction, size)]
            rate = size / 2**20 / mine
            what = f"`stackyard store speed` {direction} {size // 2**20} MiB: {mine:.3f} s ({rate:.0f} MiB/s)"
            ratio, target = "-", "≥ 1.0 x `aws s3 cp` at 256 MiB" if size == SPEED_SIZES[-1] else ""
            if (direction, size) in theirs:
                cli = theirs[(direction, size)]
                what += f"; `aws s3 cp` {cli:.3f} s ({size / 2**20 / cli:.0f} MiB/s) without its start"
                ratio = f"{cli / mine:.2f} x"
            rows.append(f"| {what} | {runs} | {ratio} | {process.peak_mib:.0f} MiB (whole run) | {target} |")
    return rows


def aws_cli_transfers(aws: str, bucket: str, env: dict[str, str], runs: int) -> dict[tuple[str, int], float]:
    """Median `aws s3 cp` wall time per (direction, size), less the median of `aws --version` (the CLI's start)."""
    starts, times = [], {}
    with tempfile.TemporaryDirectory() as directory:
        for size in SPEED_SIZES:
            upload, download = Path(directory) / "up.bin", Path(directory) / "down.bin"
            with upload.open("wb") as file:
                for _ in range(size // 2**20):
                    file.write(os.urandom(2**20))
            target = f"s3://{bucket}/stackyard-bench/cp-{size}.bin"
            for direction, command in (
                ("upload", [aws, "s3", "cp", str(upload), target]),
                ("download", [aws, "s3", "cp", target, str(download)]),
            ):
                samples = []
                for _ in range(runs):
                    started = time.perf_counter()
                    subprocess.run([aws, "--version"], env=env, check=True, capture_output=True)
                    starts.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    subprocess.run(command, env=env, check=True, capture_output=True)
                    samples.append(time.perf_counter() - started)
                times[(direction, size)] = statistics.median(samples)
            subprocess.run([aws, "s3", "rm", target], env=env, check=True, capture_output=True)
    start = statistics.median(starts)
    return {key: seconds - start for key, seconds in times.items()}


def verify_runs(runs: int, aws_cli: str | None) -> tuple[list[VerifyRun], list[RoundTrip], list[str]]:
    """`stackyard verify` against moto, and the S3 probe beside `aws s3 cp` on the same endpoint."""
    from stacks.provider_bindings import load_lazily
    from stackyard.config import load_default_config

    load_lazily()
    from tests.support.deployed import aws_env, deploy
    from tests.support.synth import synthesize

    verifies, round_trips = [], []
    with tempfile.TemporaryDirectory() as workdir:
        synth = synthesize(load_default_config(), Path(workdir) / "synth")
        with contextlib.contextmanager(deploy)(synth, Path(workdir)) as deployed:
            env = {**os.environ, **aws_env(deployed.endpoint)}
            for _ in range(runs):
                command = [PYTHON, "-m", "stackyard.cli", "verify", "--format", "json"]
                command += ["--outputs", str(deployed.outputs_file), "--config", str(deployed.config_file)]
                command += ["--skip", "cluster-ssh", "--skip", "store-tls-only", "--skip", "queue-redis-tls"]
                started = time.perf_counter()
                done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
                wall = time.perf_counter() - started
                report = json.loads(done.stdout)
                slowest = max(check["duration_s"] for check in report["checks"])
                verifies.append(VerifyRun(wall, report["summary"]["duration_s"], slowest, len(report["checks"])))
                (probe,) = [check for check in report["checks"] if check["id"] == "store-round-trip"]
                round_trips.append(RoundTrip(probe["evidence"]["put_s"], probe["evidence"]["get_s"], 0, 0, 0))
            if aws_cli:
                bucket = StackOutputs(deployed.deployment.outputs(), "moto deployment").find("bucket_name")
                cli_runs = aws_cli_round_trips(aws_cli, bucket, env, runs)
                for trip, (start, up, down) in zip(round_trips, cli_runs, strict=True):
                    trip.cli_start, trip.cli_up, trip.cli_down = start, up, down
            speed_rows = store_speed_rows(deployed, env, aws_cli, runs)
    return verifies, round_trips, speed_rows


def row(what: str, runs: list[Run], target: str = "") -> str:
    seconds = statistics.median(run.seconds for run in runs)
    peak = statistics.median(run.peak_mib for run in runs)
    spread = f"{min(r.seconds for r in runs):.2f}-{max(r.seconds for r in runs):.2f}"
    return f"| {what} | {len(runs)} | {seconds:.2f} s ({spread}) | {peak:.0f} MiB | {target} |"


def mib_per_s(seconds: float) -> str:
    return f"{1 / seconds:.1f} MiB/s" if seconds else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per warm measurement (median reported)")
    parser.add_argument("--quick", action="store_true", help="skip npx cdktf synth and verify")
    parser.add_argument(
        "--aws-cli", help="an `aws` executable (awscli) for the S3 comparison; `make bench` installs one"
    )
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
    cdktn_synth_runs(1)  # CDK Terrain's caches too
    rows.append(row("CDK Terrain 0.23.4: `python main.py`, default config, warm", cdktn_synth_runs(args.runs)))
    rows.append(row("CDK Terrain: the plain way (every provider module, normal exit)", cdktn_synth_runs(3, plain)))
    for count in (1, 10, 50):
        rows.append(
            row(f"{count} environment(s), {3 * count} stacks, all built (cache off)", environment_runs(count, 3))
        )
    changed = changed_environment_runs(50, 3)
    rows.append(
        row("50 environments, one changed since the last synth (synth cache)", changed, "≤ 1.5 x one environment")
    )
    if not args.quick:
        rows.append(row("`npx cdktf synth` (cdktf-cli 0.21.0 runs main.py)", npx_synth_runs(3)))
        rows.append(row("`npx cdktn synth` (cdktn-cli 0.24.0 on Node 22 runs main.py)", npx_synth_runs(3, "cdktn")))
        verifies, round_trips, speed_rows = verify_runs(3, args.aws_cli)
        for run in verifies:
            ratio = run.checks / run.slowest if run.slowest else float("nan")
            rows.append(
                f"| `stackyard verify` vs moto ({run.count} checks): process {run.wall:.2f} s, "
                f"checks {run.checks:.2f} s, slowest check {run.slowest:.2f} s | 1 | ratio {ratio:.2f} | - "
                "| ≤ 1.3 x slowest |"
            )
        for trip in round_trips:
            cli = "`aws s3 cp`: not measured (no --aws-cli)"
            if trip.cli_up:
                cli = f"`aws s3 cp` up {trip.cli_up:.2f} s, down {trip.cli_down:.2f} s"
                cli += f" (its start alone {trip.cli_start:.2f} s)"
            probe = (
                f"put {trip.probe_put * 1000:.0f} ms ({mib_per_s(trip.probe_put)}), get {trip.probe_get * 1000:.0f} ms"
            )
            rows.append(
                f"| S3 1 MiB round trip on moto: probe {probe} ({mib_per_s(trip.probe_get)}); {cli} | 1 | - | - | - |"
            )
        rows += speed_rows
    machine = f"{platform.node()}: {platform.system()} {platform.machine()}, {os.cpu_count()} cores"
    print(f"stackyard bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine}, Python {platform.python_version()}")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
