"""boto3 clients for a config's AWS: its endpoint (an emulator) when it names one, else the standard chain (the
environment, a profile), bounded by a timeout. Used by verification and discovery alike."""

from __future__ import annotations

import os
import threading
from typing import Any

import boto3
from botocore.config import Config

from stackyard.config import StackyardConfig

_sessions: dict[tuple[str | None, str], boto3.session.Session] = {}
_lock = threading.Lock()


def client(config: StackyardConfig, service: str, profile: str | None, timeout: float, **credentials: Any) -> Any:
    """A new client per call, made from one session per profile and region under a lock: a boto3 session is not
    safe to share between threads (its clients are), and one session loads each service model once, not once per
    check thread."""
    with _lock:
        session = _sessions.get((profile, config.aws.region))
        if session is None:
            session = _sessions[(profile, config.aws.region)] = boto3.session.Session(
                profile_name=profile, region_name=config.aws.region
            )
        return _new_client(session, config, service, timeout, **credentials)


def _new_client(
    session: boto3.session.Session, config: StackyardConfig, service: str, timeout: float, **credentials: Any
) -> Any:
    # One attempt: a retry doubles the time an endpoint that never answers holds a check, and verify/discover
    # report a refusal or a timeout rather than hide it.
    bounded = Config(
        connect_timeout=timeout, read_timeout=timeout, retries={"mode": "standard", "total_max_attempts": 1}
    )
    if config.aws.endpoint_url:
        credentials.setdefault("endpoint_url", config.aws.endpoint_url)
    return session.client(service, config=bounded, **credentials)


def target(config: StackyardConfig, profile: str | None) -> str:
    """Which AWS the clients talk to, for reports."""
    region = config.aws.region
    if config.aws.endpoint_url:
        return f"{config.aws.endpoint_url} (aws.endpoint_url), region {region}"
    if os.environ.get("AWS_ENDPOINT_URL"):
        return f"{os.environ['AWS_ENDPOINT_URL']} (AWS_ENDPOINT_URL), region {region}"
    return f"AWS, region {region}" + (f", profile {profile}" if profile else "")
