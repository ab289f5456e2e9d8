"""Run stackyard's entry points as a user would: a fresh process, its exit code and its output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_main(
    config_file: Path | None, outdir: Path, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python main.py` with $STACKYARD_CONFIG and $CDKTF_OUTDIR set, as the cdktf CLI would run it; run from
    ``outdir``'s parent, where the embedded config's local state files go."""
    env = {
        **os.environ,
        "CDKTF_OUTDIR": str(outdir),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        **(env or {}),
    }
    env.pop("STACKYARD_CONFIG", None)
    if config_file is not None:
        env["STACKYARD_CONFIG"] = str(config_file)
    return subprocess.run(
        [sys.executable, str(REPO_ROOT / "main.py")], cwd=outdir.parent, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip


def run_stackyard(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The `stackyard` console script (via its module, so the test does not depend on PATH)."""
    return subprocess.run(
        [sys.executable, "-m", "stackyard.cli", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout
    )


def invoke_stackyard(*args: str) -> Result:
    """The same command in this process (typer's CliRunner): for what needs no process boundary, such as options
    refused before any work starts."""
    from stackyard.cli import app

    return CliRunner().invoke(app, list(args))


def interruptible(command: list[str]) -> list[str]:
    """``command`` with SIGINT at its default, so that Ctrl-C (SIGINT) reaches it as at a terminal: a shell without
    job control starts its background jobs (such as a CI run) with SIGINT ignored, which every exec keeps, and
    Python then never raises KeyboardInterrupt."""
    reset = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])"
    return [sys.executable, "-c", reset, *command]
