"""What a measurement may use: the store's S3 client (as the store user), the multipart role's for uploads over
5 GiB (seed 000), the transfer settings, the ledger of what was written, and a progress bar."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from boto3.s3.transfer import TransferConfig
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

from stackyard.speed.core.ledger import Ledger

MULTIPART_ROLE_ABOVE = 5 * 2**30
"""Seed 000: uploads over 5 GB go through the multipart-upload role."""
PROGRESS_FROM = 64 * 2**20
"""Transfers this big get a progress bar (when stderr is a terminal)."""


@dataclass
class SpeedContext:
    store_s3: Any
    """S3 client as the store user (or the ambient credentials)."""
    bucket: str
    ledger: Ledger
    upload_config: TransferConfig
    download_config: TransferConfig
    multipart_s3: Callable[[], Any] | None = None
    """Makes an S3 client with the multipart role's temporary credentials; None when there is no role."""
    show_progress: bool = field(default_factory=lambda: sys.stderr.isatty())
    _role_s3: Any = field(default=None, repr=False)

    def uploader(self, size: int) -> Any:
        """The client an upload of ``size`` bytes uses: the multipart role's above 5 GiB, as seed 000 says."""
        if size <= MULTIPART_ROLE_ABOVE or self.multipart_s3 is None:
            return self.store_s3
        if self._role_s3 is None:
            self._role_s3 = self.multipart_s3()
        return self._role_s3

    @contextlib.contextmanager
    def progress(self, what: str, size: int) -> Iterator[Callable[[int], None] | None]:
        """A callback advancing a rich progress bar on stderr, for big transfers; None (no bar) otherwise."""
        if not self.show_progress or size < PROGRESS_FROM:
            yield None
            return
        columns = (*Progress.get_default_columns()[:1], BarColumn(), DownloadColumn(), TransferSpeedColumn())
        with Progress(*columns, transient=True, console=None) as bar:
            task = bar.add_task(what, total=size)
            yield lambda amount: bar.advance(task, amount)
