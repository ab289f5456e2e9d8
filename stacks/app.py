"""Wiring: which stacks a config produces."""

from __future__ import annotations

from cdktf import App

from stacks.cluster_stack import ClusterStack
from stacks.data_stack import DataStoreStack
from stacks.workers_stack import WorkersStack
from stackyard.config.model import StackyardConfig
from stackyard.stack_names import CLUSTER_STACK, DATA_STACK, WORKERS_STACK


def build_app(config: StackyardConfig, outdir: str | None = None) -> App:
    """An App holding every stack the config asks for (outdir: cdktf's default, which honours CDKTF_OUTDIR)."""
    app = App(outdir=outdir) if outdir else App()
    data = DataStoreStack(app, DATA_STACK, config) if config.data_store.enabled else None
    workers = WorkersStack(app, WORKERS_STACK, config) if config.workers.enabled else None
    if config.cluster.enabled:
        # The cluster reuses the workers' network (a cross-stack reference) unless given a subnet of its own.
        cluster = ClusterStack(app, CLUSTER_STACK, config, network=workers.network if workers else None)
        if data is not None and config.cluster.s3_mount.enabled:
            cluster.add_dependency(data)  # the bucket must exist before instances mount it at boot
    return app
