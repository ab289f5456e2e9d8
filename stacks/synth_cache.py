"""Per-environment synth cache: an environment whose resolved config and stackyard's code are unchanged is copied from
its last synth instead of being built again through jsii (~0.3 s of Python-to-node calls per environment).

An entry is keyed by everything that decides an environment's stacks: its name, its resolved config, the source of
``stacks/``, ``stackyard/`` and ``main.py``, the engine (stacks/engine) and its versions, constructs and jsii, and the
environment variables cdktf reads while synthesizing. Entries are written whole (temp dir + rename), so a crash
leaves no half entry; an entry with a missing file counts as a miss. STACKYARD_SYNTH_CACHE=off turns it off, a path
moves it (default: $XDG_CACHE_HOME/stackyard/synth).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from stacks.engine import engine
from stackyard.config.model import StackyardConfig

REPO = Path(__file__).resolve().parent.parent
CACHE_FORMAT = "1"
SOURCES = ("stacks", "stackyard", "main.py")
SHARED_PACKAGES = ("constructs", "jsii")
# What cdktf's App/TerraformStack read from the environment while synthesizing (HCL output, context, error handling).
CDKTF_SYNTH_VARIABLES = ("SYNTH_HCL_OUTPUT", "CDKTF_CONTEXT_JSON", "CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS")
MANIFEST = "manifest.json"
UNUSED_ENTRY_DAYS = 30


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of every file that generates stacks, and of the libraries that render them."""
    digest = hashlib.sha256(f"stackyard synth cache {CACHE_FORMAT}\nengine {engine().name}\n".encode())
    for package in (*engine().distributions, *SHARED_PACKAGES):
        try:
            digest.update(f"{package}=={version(package)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{package} missing\n".encode())
    for source in SOURCES:
        root = REPO / source
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(REPO)}\n".encode() + path.read_bytes())
    return digest.hexdigest()


def environment_key(name: str, config: StackyardConfig, adoption: str = "") -> str:
    """The cache key of one environment's stacks: the code, cdktf's variables, the config and what it adopts."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(json.dumps({variable: os.environ.get(variable) for variable in CDKTF_SYNTH_VARIABLES}).encode())
    digest.update(f"\n{name}\n".encode() + config.model_dump_json().encode() + adoption.encode())
    return digest.hexdigest()


def read_manifest(outdir: Path) -> dict[str, Any]:
    return json.loads((outdir / MANIFEST).read_text())


def write_manifest(outdir: Path, stacks: dict[str, Any], cdktf_version: str) -> None:
    manifest = {"stacks": dict(sorted(stacks.items())), "version": cdktf_version}
    (outdir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


@dataclass(frozen=True)
class CachedEnvironment:
    """One environment's stacks as cdktf wrote them: manifest entries plus each stack's directory."""

    path: Path
    manifest: dict[str, Any]

    @classmethod
    def load(cls, path: Path) -> CachedEnvironment | None:
        """The entry at path; None when it is missing or incomplete (a miss, rebuilt by the synth)."""
        try:
            manifest = read_manifest(path)
            complete = all((path / entry["synthesizedStackPath"]).is_file() for entry in manifest["stacks"].values())
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return cls(path, manifest) if complete else None

    def copy_into(self, outdir: Path) -> dict[str, Any]:
        """Copy the stack directories into outdir; returns their manifest entries."""
        manifest = self.manifest
        for entry in manifest["stacks"].values():
            target = outdir / entry["workingDirectory"]
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(self.path / entry["workingDirectory"], target)
        os.utime(self.path)  # used: keeps the entry from being pruned
        return manifest["stacks"]


class SynthCache:
    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def from_environment(cls) -> SynthCache | None:
        setting = os.environ.get("STACKYARD_SYNTH_CACHE", "")
        if setting.lower() in {"off", "0", "false", "no"}:
            return None
        if setting:
            return cls(Path(setting))
        cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return cls(Path(cache_home) / "stackyard" / "synth")

    def lookup(self, key: str) -> CachedEnvironment | None:
        return CachedEnvironment.load(self.root / key)

    def store(self, key: str, outdir: Path, manifest: dict[str, Any], stack_names: list[str]) -> None:
        """Copy the named stacks of a finished synth in outdir (whose manifest is given) into an entry; a cache that
        cannot be written is reported and skipped (the synth itself succeeded)."""
        stacks = {name: manifest["stacks"][name] for name in stack_names}
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.root))
            for entry in stacks.values():
                shutil.copytree(outdir / entry["workingDirectory"], staging / entry["workingDirectory"])
            write_manifest(staging, stacks, manifest["version"])
            try:
                staging.rename(self.root / key)
            except OSError:  # another synth stored the same entry first
                shutil.rmtree(staging, ignore_errors=True)
        except OSError as error:
            print(f"stackyard: synth cache not written ({error}); the synth itself is complete", file=sys.stderr)

    def prune(self, unused_days: int = UNUSED_ENTRY_DAYS) -> None:
        """Drop entries no synth has used for a while (and staging leftovers of crashed runs)."""
        now = time.time()
        for entry in self.root.glob("*"):
            unused_s = now - entry.stat().st_mtime
            if unused_s > unused_days * 86400 or (entry.name.startswith(".staging-") and unused_s > 3600):
                shutil.rmtree(entry, ignore_errors=True)
