"""Wiring: which stacks a config produces."""

from __future__ import annotations

import json
import os
from collections.abc import Collection
from pathlib import Path

from stacks.base import StackyardStack
from stacks.cluster_stack import ClusterStack
from stacks.data_stack import DataStoreStack
from stacks.engine.cdk import App
from stacks.inputs import BUNDLE_CONTEXT
from stacks.workers_stack import WorkersStack
from stackyard.config import CONFIG_ENV_VAR, ConfigError
from stackyard.config.adoption import Adoption
from stackyard.config.model import StackyardConfig
from stackyard.config.protection import BY_NAME
from stackyard.stack_names import CLUSTER_STACK, DATA_STACK, WORKERS_STACK, environment_prefix


def build_app(
    config: StackyardConfig,
    outdir: str | None = None,
    environments: Collection[str | None] | None = None,
    adoption: Adoption | None = None,
    bundle: bool = False,
) -> App:
    """An App holding every stack the config asks for (outdir: cdktf's default, which honours CDKTF_OUTDIR):
    data, workers, cluster; or, with environments, <env>-data, <env>-workers, <env>-cluster for each of them
    (or of those named in ``environments``). ``adoption``: existing resources to import instead of create.
    ``bundle``: bundle mode (stacks.inputs): Terraform variables for the values a team sets, portable state.

    Raises ConfigError, before anything is written, when the adoption file names a slot a stack does not have."""
    adoption = adoption or Adoption()
    folders_before = _folders(Path(outdir)) if outdir else set()
    context = {BUNDLE_CONTEXT: True} if bundle else {}
    app = App(outdir=outdir, context=context) if outdir else App(context=context)
    stacks: list[StackyardStack] = []
    for environment, environment_config in config.environment_configs():
        if environments is None or environment in environments:
            stacks += add_stacks(app, environment_config, adoption, prefix=environment_prefix(environment))
    problems = [
        f"stacks.{stack.node.id}.resources.{slot}: the {stack.node.id} stack has no such place; "
        f"it has: {', '.join(sorted(stack.slots))}"
        for stack in stacks
        for slot in stack.unknown_slots()
    ]
    if problems:
        if outdir:
            _remove_new_empty_folders(Path(outdir), folders_before)  # the App makes them; leave nothing behind
        raise adoption.error(problems)
    unknown = _unknown_allowances(config, stacks)
    if unknown:
        if outdir:
            _remove_new_empty_folders(Path(outdir), folders_before)
        raise ConfigError(os.environ.get(CONFIG_ENV_VAR) or "the embedded config", unknown)
    return app


def _unknown_allowances(config: StackyardConfig, stacks: list[StackyardStack]) -> list[str]:
    """protection.allow_replace entries that name no protected resource: a stackyard name, or an adopted slot."""
    names = set(BY_NAME) | {name for stack in stacks for name in stack.protected.values()}
    allowed = {name for _, environment in config.environment_configs() for name in environment.protection.allow_replace}
    return [
        f"protection.allow_replace: {name!r} protects nothing; use one of {', '.join(sorted(names))}"
        for name in sorted(allowed - names)
    ]


def synth(app: App) -> None:
    """``app.synth()``, then every stack's cdk.tf.json written again as 2-space-indented JSON, unchanged otherwise:
    cdktf spells an empty list over two lines, CDK Terrain on one, so one spelling makes both engines' files
    identical byte for byte (but for the engine's version stamp)."""
    app.synth()
    for path in Path(app.outdir, "stacks").glob("*/cdk.tf.json"):
        written = path.read_text()
        canonical = json.dumps(json.loads(written), indent=2, ensure_ascii=False)
        if canonical != written:
            path.write_text(canonical)


def add_stacks(app: App, config: StackyardConfig, adoption: Adoption, prefix: str = "") -> list[StackyardStack]:
    def each(name: str) -> dict:
        return {"adoption": adoption.for_stack(prefix + name)}

    data = DataStoreStack(app, prefix + DATA_STACK, config, **each(DATA_STACK)) if config.data_store.enabled else None
    workers = (
        WorkersStack(app, prefix + WORKERS_STACK, config, **each(WORKERS_STACK)) if config.workers.enabled else None
    )
    cluster = None
    if config.cluster.enabled:
        # The cluster reuses the workers' network (a cross-stack reference) unless given a subnet of its own.
        network = workers.network if workers else None
        cluster = ClusterStack(app, prefix + CLUSTER_STACK, config, network=network, **each(CLUSTER_STACK))
        if data is not None and config.cluster.s3_mount.enabled:
            cluster.add_dependency(data)  # the bucket must exist before instances mount it at boot
    return [stack for stack in (data, workers, cluster) if stack is not None]


def _folders(root: Path) -> set[Path]:
    return {p for p in [root, *root.rglob("*")] if p.is_dir()} if root.exists() else set()


def _remove_new_empty_folders(root: Path, before: set[Path]) -> None:
    for folder in sorted(_folders(root) - before, key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()
