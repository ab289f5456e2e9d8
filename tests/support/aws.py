"""boto3 clients for the emulator the tests start (moto accepts any credentials)."""

from __future__ import annotations

from typing import Any

import boto3

TEST_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def emulator_client(service: str, endpoint: str, region: str, **credentials: Any) -> Any:
    """A client of the emulator, with the tests' credentials unless others are given."""
    return boto3.client(service, endpoint_url=endpoint, region_name=region, **(credentials or TEST_CREDENTIALS))
