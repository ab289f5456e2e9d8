"""Running the synth as its own process (`python main.py`, or the pinned cdktf CLI for HCL): the stackyard package
never imports `stacks/`, and a synth into a scratch folder leaves the user's cdktf.out/ alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from stackyard.config import BUNDLE_ENV_VAR, CONFIG_ENV_VAR
from stackyard.config.protection import LIFT_ENV_VAR

REPO_ROOT = Path(__file__).resolve().parent.parent


class SynthesisError(Exception):
    """The synth failed; the message says which command and its last line."""


def environment(config_file: Path | None, bundle: bool, lifted: bool = False) -> dict[str, str]:
    """The process environment: the config (None: the embedded example) and the mode. ``lifted``: stackyard's
    scratch synth without prevent_destroy, to read a plan from (never applied; the synth cache is bypassed)."""
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    for name in (CONFIG_ENV_VAR, BUNDLE_ENV_VAR, LIFT_ENV_VAR):
        env.pop(name, None)
    if config_file is not None:
        env[CONFIG_ENV_VAR] = str(config_file.resolve())
    if bundle:
        env[BUNDLE_ENV_VAR] = "1"
    if lifted:
        env |= {LIFT_ENV_VAR: "1", "STACKYARD_SYNTH_CACHE": "off"}
    return env


def synthesize_json(outdir: Path, config_file: Path | None, bundle: bool = False, lifted: bool = False) -> None:
    """Every stack of the config as Terraform JSON under ``outdir``/stacks/."""
    env = {**environment(config_file, bundle, lifted), "CDKTF_OUTDIR": str(outdir)}
    _run([sys.executable, "main.py"], env, "python main.py")


def synthesize_hcl(outdir: Path, config_file: Path | None, bundle: bool = False) -> None:
    """Every stack as HCL (cdktf.out-like ``outdir``/stacks/<stack>/cdk.tf), through the pinned cdktf CLI."""
    npx = shutil.which("npx")
    if npx is None:
        raise SynthesisError("npx is not on PATH; the HCL comes from the pinned cdktf CLI (run `npm ci` first)")
    env = {**environment(config_file, bundle), "CI": "1", "CHECKPOINT_DISABLE": "1"}
    _run([npx, "--no-install", "cdktf", "synth", "--hcl", "--output", str(outdir)], env, "cdktf synth --hcl")


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise SynthesisError(f"{what} failed (exit {result.returncode}): {last[0]}")
