"""Wiring: which stacks a config produces."""

from __future__ import annotations

from collections.abc import Collection

from cdktf import App

from stacks.cluster_stack import ClusterStack
from stacks.data_stack import DataStoreStack
from stacks.workers_stack import WorkersStack
from stackyard.config.model import StackyardConfig
from stackyard.stack_names import CLUSTER_STACK, DATA_STACK, WORKERS_STACK, environment_prefix


def build_app(
    config: StackyardConfig, outdir: str | None = None, environments: Collection[str | None] | None = None
) -> App:
    """An App holding every stack the config asks for (outdir: cdktf's default, which honours CDKTF_OUTDIR):
    data, workers, cluster; or, with environments, <env>-data, <env>-workers, <env>-cluster for each of them
    (or of those named in ``environments``)."""
    app = App(outdir=outdir) if outdir else App()
    for environment, environment_config in config.environment_configs():
        if environments is None or environment in environments:
            add_stacks(app, environment_config, prefix=environment_prefix(environment))
    return app


def add_stacks(app: App, config: StackyardConfig, prefix: str = "") -> None:
    data = DataStoreStack(app, prefix + DATA_STACK, config) if config.data_store.enabled else None
    workers = WorkersStack(app, prefix + WORKERS_STACK, config) if config.workers.enabled else None
    if config.cluster.enabled:
        # The cluster reuses the workers' network (a cross-stack reference) unless given a subnet of its own.
        cluster = ClusterStack(app, prefix + CLUSTER_STACK, config, network=workers.network if workers else None)
        if data is not None and config.cluster.s3_mount.enabled:
            cluster.add_dependency(data)  # the bucket must exist before instances mount it at boot
