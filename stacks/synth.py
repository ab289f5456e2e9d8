"""Synthesize a config into cdktf's output directory, building only the environments the synth cache lacks."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stacks.state_files import protect_local_state
from stacks.synth_cache import CachedEnvironment, SynthCache, environment_key, read_manifest, write_manifest
from stackyard.config.adoption import Adoption
from stackyard.config.model import StackyardConfig
from stackyard.stack_names import STACK_ORDER, environment_prefix, in_apply_order, planned_stacks


@dataclass
class SynthResult:
    """Which environments were built through cdktf and which were copied from the cache (names; None is the
    config without environments)."""

    built: list[str | None] = field(default_factory=list)
    copied: list[str | None] = field(default_factory=list)
    cache: SynthCache | None = None
    stacks: list[str] = field(default_factory=list)
    """Every stack of the config, as the manifest lists them."""
    outdir: Path = Path()
    removed: list[str] = field(default_factory=list)
    """Stack folders of an earlier synth that this config no longer has."""
    tightened: list[Path] = field(default_factory=list)
    """Local state files that were readable by others, now 0600."""

    def summary(self) -> str:
        if self.stacks:
            lines = [f"stackyard: synthesized {', '.join(self.stacks)} -> {self.outdir}/stacks/<stack>/cdk.tf.json"]
        else:
            lines = ["stackyard: synthesized no stack (the config turns every stack off)"]
        if self.removed:
            lines.append(f"stackyard: removed stack folders this config no longer has: {', '.join(self.removed)}")
        for path in self.tightened:
            lines.append(f"stackyard: {path} was readable by others; now 0600 (a state holds the store user's key)")
        if self.cache is not None:
            lines.append(
                f"stackyard: {len(self.built)} environment(s) built, {len(self.copied)} unchanged and copied from "
                f"the synth cache ({self.cache.root}; STACKYARD_SYNTH_CACHE=off turns it off)"
            )
        return "\n".join(lines)


def default_outdir() -> Path:
    return Path(os.environ.get("CDKTF_OUTDIR") or "cdktf.out")  # where cdktf's App writes by default


def synthesize(
    config: StackyardConfig, outdir: Path | None = None, adoption: Adoption | None = None, bundle: bool = False
) -> SynthResult:
    """``bundle``: bundle mode (Terraform variables, portable state; see stacks.inputs).

    Raises ConfigError, with nothing written, when the adoption file does not fit the config's stacks."""
    outdir = outdir or default_outdir()
    adoption = adoption or Adoption()
    adoption.check_stacks([stack.name for stack in planned_stacks(config)])
    # Only configs with environments use the cache: one set of stacks takes ~2 s to build, 50 take ~15 s.
    # (Bundles are made rarely, and their stacks differ from deployable ones: they bypass it.)
    cache = SynthCache.from_environment() if config.environments and not bundle else None
    result = SynthResult(cache=cache)
    keys: dict[str | None, str] = {}
    cached: dict[str | None, CachedEnvironment] = {}
    for name, environment_config in config.environment_configs():
        if cache is not None:  # a cache implies environments, so every name is set
            keys[name] = environment_key(name, environment_config, _adoption_of(name, adoption))
            entry = cache.lookup(keys[name])
            if entry is not None:
                cached[name] = entry
                continue
        result.built.append(name)

    stacks: dict[str, Any] = {}
    cdktf_version = ""
    if result.built:
        from stacks.provider_bindings import load_lazily

        load_lazily()
        from stacks.app import build_app, synth

        synth(build_app(config, outdir=str(outdir), environments=set(result.built), adoption=adoption, bundle=bundle))
        manifest = read_manifest(outdir)
        stacks, cdktf_version = manifest["stacks"], manifest["version"]
        if cache is not None:
            for name in result.built:
                names = [environment_prefix(name) + stack for stack in STACK_ORDER]
                cache.store(keys[name], outdir, manifest, [stack for stack in names if stack in stacks])
    if cached:
        outdir.mkdir(parents=True, exist_ok=True)
        for name, entry in cached.items():
            stacks.update(entry.copy_into(outdir))
            cdktf_version = cdktf_version or entry.manifest["version"]
            result.copied.append(name)
        write_manifest(outdir, stacks, cdktf_version)
    if cache is not None:
        cache.prune()
    result.outdir = outdir
    result.stacks = in_apply_order(list(stacks))
    if not under_engine_cli():
        result.removed = _remove_stale_stacks(outdir, set(stacks))
    if not bundle:
        result.tightened = protect_local_state(outdir, result.stacks)
    return result


def under_engine_cli() -> bool:
    """Run by `cdktf|cdktn synth|diff|deploy`: the CLI sets this for its app, lists the stack folders before it
    and deletes those the app no longer makes afterwards (failing on one already gone)."""
    return "CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS" in os.environ


def _adoption_of(environment: str | None, adoption: Adoption) -> str:
    names = [environment_prefix(environment) + stack for stack in STACK_ORDER]
    return "".join(adoption.stacks[name].model_dump_json() for name in names if name in adoption.stacks)


def _remove_stale_stacks(outdir: Path, current: set[str]) -> list[str]:
    """Delete stack folders an earlier synth of another config left (a direct `python main.py` does; the engine's
    CLI does it itself), so what is there is what the manifest lists. State is not in them: backends keep it
    elsewhere."""
    stacks_dir = outdir / "stacks"
    stale = sorted(p.name for p in stacks_dir.iterdir() if p.is_dir() and p.name not in current)
    for name in stale:
        shutil.rmtree(stacks_dir / name)
    return stale
