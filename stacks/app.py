"""Wiring: which stacks a config produces."""

from __future__ import annotations

from cdktf import App

from stacks.data_stack import DataStoreStack
from stacks.workers_stack import WorkersStack
from stackyard.config.model import StackyardConfig

DATA_STACK = "data"
WORKERS_STACK = "workers"


def build_app(config: StackyardConfig, outdir: str | None = None) -> App:
    """An App holding every stack the config asks for (outdir: cdktf's default, which honours CDKTF_OUTDIR)."""
    app = App(outdir=outdir) if outdir else App()
    if config.data_store.enabled:
        DataStoreStack(app, DATA_STACK, config)
    if config.workers.enabled:
        WorkersStack(app, WORKERS_STACK, config)
    return app
