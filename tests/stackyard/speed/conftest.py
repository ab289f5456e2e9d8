"""``speed_context``: a SpeedContext on the shared moto_server deployment, as the store user, with its own prefix."""

from __future__ import annotations

import uuid

import pytest

from stackyard.speed.core.context import SpeedContext
from stackyard.speed.core.ledger import Ledger
from stackyard.store_speed import DOWNLOAD, UPLOAD
from tests.support.aws import emulator_client
from tests.support.deployed import REGION


@pytest.fixture
def speed_context(deployed):
    outputs = deployed.outputs()["data"]
    s3 = emulator_client(
        "s3", deployed.endpoint, REGION,
        aws_access_key_id=outputs["access_key_id"], aws_secret_access_key=outputs["secret_access_key"],
    )  # fmt: skip
    ledger = Ledger(outputs["bucket_name"], f"stackyard-speed/test-{uuid.uuid4().hex[:8]}/")
    context = SpeedContext(s3, outputs["bucket_name"], ledger, upload_config=UPLOAD, download_config=DOWNLOAD)
    yield context
    assert ledger.clean_up(s3) == 0
