"""download: the uploaded object back from the bucket, its SHA-256 compared with what was sent."""

from __future__ import annotations

from stackyard.speed.core.base import Measurement, TestObject, TransferFailed
from stackyard.speed.core.context import SpeedContext
from stackyard.speed.core.data import HashingSink


class Download(Measurement):
    id = "download"
    title = "Download from the store"
    order = 20

    def transfer(self, context: SpeedContext, test_object: TestObject) -> None:
        sink = HashingSink()
        with context.progress(f"down {test_object.key}", test_object.size) as advance:
            context.store_s3.download_fileobj(
                context.bucket, test_object.key, sink, Config=context.download_config, Callback=advance
            )
        if (sink.length, sink.sha256) != (test_object.size, test_object.sha256):
            raise TransferFailed(
                f"s3://{context.bucket}/{test_object.key}: read back {sink.length} bytes whose SHA-256 differs from "
                f"the {test_object.size} sent"
            )
