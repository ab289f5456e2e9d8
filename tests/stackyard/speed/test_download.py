"""download: the object comes back through the transfer manager and its bytes are checked."""

from __future__ import annotations

import pytest

from stackyard.speed.core.base import TestObject, TransferFailed
from stackyard.speed.download import Download
from stackyard.speed.upload import Upload


def test_reads_back_what_was_uploaded_and_refuses_other_bytes(speed_context):
    test_object = TestObject(f"{speed_context.ledger.prefix}down.bin", 20 * 2**20, seed=4)
    Upload().prepare(test_object)
    Upload().transfer(speed_context, test_object)
    speed_context.ledger.written(test_object.key, speed_context.store_s3)
    Download().transfer(speed_context, test_object)

    speed_context.store_s3.put_object(Bucket=speed_context.bucket, Key=test_object.key, Body=b"something else")
    speed_context.ledger.written(test_object.key, speed_context.store_s3)
    with pytest.raises(TransferFailed, match="read back 14 bytes whose SHA-256 differs"):
        Download().transfer(speed_context, test_object)
