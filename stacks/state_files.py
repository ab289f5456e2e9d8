"""Local state files readable by their owner only, whoever runs Terraform: a state holds the store user's secret
access key. Terraform creates a missing state file with the umask's mode (often 0644) but keeps an existing file's
mode, so each synth makes every stack's state file and its backup exist as 0600 (empty: no state yet)."""

from __future__ import annotations

import json
import os
from pathlib import Path

PRIVATE = 0o600


def protect_local_state(outdir: Path, stacks: list[str]) -> list[Path]:
    """Creates each missing local state file (and its .backup) as an empty 0600 file, in a 0700 folder when the
    folder is missing too (Terraform would make it 0755); returns the existing ones it made private (they were
    readable by others)."""
    tightened = []
    for stack in stacks:
        document = json.loads((outdir / "stacks" / stack / "cdk.tf.json").read_text())
        path = document.get("terraform", {}).get("backend", {}).get("local", {}).get("path")
        if not path or not Path(path).is_absolute():  # a bundle's state lives in the team's folder
            continue
        Path(path).parent.mkdir(0o700, parents=True, exist_ok=True)
        for file in (Path(path), Path(f"{path}.backup")):
            try:
                os.close(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
            except FileExistsError:
                if file.stat().st_mode & 0o077:
                    file.chmod(PRIVATE)
                    tightened.append(file)
    return tightened
