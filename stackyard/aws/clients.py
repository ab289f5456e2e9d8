"""boto3 clients for a config's AWS: its endpoint (an emulator) when it names one, else the standard chain (the
environment, a profile), bounded by a timeout. Used by verification and discovery alike."""

from __future__ import annotations

import os
import threading
from typing import Any

import boto3
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.config import Config
from botocore.exceptions import ConnectionClosedError, ReadTimeoutError

from stackyard.config import StackyardConfig


class AnswerTooSlow(ReadTimeoutError):
    fmt = 'No whole answer within {seconds:g} s from endpoint URL: "{endpoint_url}"'


class AnswerCutShort(ConnectionClosedError):
    fmt = 'The answer from endpoint URL "{endpoint_url}" ended after {received} of its {announced} bytes'


_sessions: dict[tuple[str | None, str], boto3.session.Session] = {}
_lock = threading.Lock()


def client(
    config: StackyardConfig,
    service: str,
    profile: str | None,
    timeout: float,
    whole_call: bool = True,
    **credentials: Any,
) -> Any:
    """A new client per call, made from one session per profile and region under a lock: a boto3 session is not
    safe to share between threads (its clients are), and one session loads each service model once, not once per
    check thread. ``whole_call``: ``timeout`` bounds each call's connect and whole answer (``bound_whole_calls``);
    else each connect and each read of the socket, for transfers that may rightly take longer."""
    with _lock:
        session = _sessions.get((profile, config.aws.region))
        if session is None:
            session = _sessions[(profile, config.aws.region)] = boto3.session.Session(
                profile_name=profile, region_name=config.aws.region
            )
        made = _new_client(session, config, service, timeout, **credentials)
    if whole_call:
        bound_whole_calls(made, timeout)
    return made


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


def bound_whole_calls(client: Any, timeout: float) -> None:
    """Give each call of ``client`` ``timeout`` seconds for its connect and its whole answer, and refuse an answer
    shorter than it announced. botocore's read_timeout bounds each read of the socket, so an endpoint that sends a
    byte a second never trips it; and a cut answer reaches its parsers (S3's reads a cut one as a 500). Here each
    request is sent, and its answer read whole as botocore does for every non-streamed answer, in a daemon thread;
    a call still running at the deadline raises AnswerTooSlow. A streamed body (an object's content) is read by the
    caller, each read bounded by read_timeout."""
    http = client._endpoint.http_session  # what botocore itself sends with; no public accessor

    def send(request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
        if request.stream_output:
            return None  # botocore sends it as usual
        answer: dict[str, Any] = {}

        def call() -> None:
            try:
                answer["response"] = http.send(request)
            except Exception as error:  # handed to the caller's thread below
                answer["error"] = error

        worker = threading.Thread(target=call, name="aws-call", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            raise AnswerTooSlow(endpoint_url=request.url, seconds=timeout)
        if "error" in answer:
            raise answer["error"]
        response: AWSResponse = answer["response"]
        # A HEAD answer (and a 204 or 304) announces the length of a body it does not carry.
        bodiless = request.method == "HEAD" or response.status_code in (204, 304)
        announced = response.headers.get("Content-Length", "")
        if not bodiless and announced.isdigit() and len(response.content) < int(announced):
            raise AnswerCutShort(endpoint_url=request.url, received=len(response.content), announced=int(announced))
        return response

    client.meta.events.register("before-send", send)


def target(config: StackyardConfig, profile: str | None) -> str:
    """Which AWS the clients talk to, for reports."""
    region = config.aws.region
    if config.aws.endpoint_url:
        return f"{config.aws.endpoint_url} (aws.endpoint_url), region {region}"
    if os.environ.get("AWS_ENDPOINT_URL"):
        return f"{os.environ['AWS_ENDPOINT_URL']} (AWS_ENDPOINT_URL), region {region}"
    return f"AWS, region {region}" + (f", profile {profile}" if profile else "")
