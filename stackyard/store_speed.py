"""`stackyard store speed`: input checking and wiring between the CLI and the measurements (seed 003)."""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError

from stackyard.aws import clients as aws_clients
from stackyard.config import exit_bad_input
from stackyard.outputs import deployment_or_exit
from stackyard.speed.core.base import TransferFailed
from stackyard.speed.core.context import MULTIPART_ROLE_ABOVE, SpeedContext
from stackyard.speed.core.ledger import Ledger
from stackyard.speed.core.runner import EXIT_INTERRUPTED, SpeedReport, measure
from stackyard.speed.core.sizes import parse_sizes, shown
from stackyard.speed.reporters import FORMATS, RENDERERS
from stackyard.stack_names import DATA_STACK

PREFIX = "stackyard-speed"
# Measured against moto on this machine, 256 MiB, 5 runs each (README, Speed): uploads are fastest with 16 MiB parts
# 10 at a time; downloads with 64 MiB ranges 4 at a time (8 MiB x 10, `aws s3 cp`'s way, took 3-6x longer), which also
# bounds what waits in memory for the in-order writer to 4 x 64 MiB.
UPLOAD = TransferConfig(multipart_threshold=16 * 2**20, multipart_chunksize=16 * 2**20, max_concurrency=10)
DOWNLOAD = TransferConfig(multipart_threshold=64 * 2**20, multipart_chunksize=64 * 2**20, max_concurrency=4)
ANNOUNCE_ABOVE = 2**30


@dataclass
class StoreSpeedOptions:
    outputs: Path
    config: Path | None = None
    environment: str | None = None
    profile: str | None = None
    sizes: str = "1MiB,1GiB"
    runs: int = 1
    format: str = "table"
    output_file: Path | None = None
    timeout: float = 30.0


def run_store_speed(options: StoreSpeedOptions) -> int:
    """Measure, report, clean up; exit 0, 1 (a transfer failed or something was left), 2 bad input, 130 on Ctrl-C."""
    sizes = _checked(options)
    outputs, config = deployment_or_exit(options.outputs, options.config, options.environment, needed=(DATA_STACK,))
    bucket = outputs.find("bucket_name")
    if not bucket:
        exit_bad_input(f"{options.outputs}: no bucket_name output; deploy the data stack and pass its outputs")

    key_id, secret = outputs.find("access_key_id"), outputs.find("secret_access_key")
    as_user: dict[str, Any] = {"aws_access_key_id": key_id, "aws_secret_access_key": secret} if secret else {}
    if not as_user:
        _say("no store secret in the outputs: measuring with the ambient credentials, not the store user's")

    def client(service: str, **credentials: Any) -> Any:
        return aws_clients.client(config, service, options.profile, options.timeout, whole_call=False, **credentials)

    role_arn = outputs.find("multipart_upload_role_arn")
    if max(sizes) > MULTIPART_ROLE_ABOVE and not role_arn:
        _say("no multipart_upload_role_arn in the outputs: uploads over 5 GiB go as the store user")
    moved = sum(sizes) * options.runs
    if max(sizes) > ANNOUNCE_ABOVE:
        _say(
            f"this run moves {shown_total(moved)} up and the same down; S3 charges for transfer "
            "(seed 003 stopped at 10 GB)"
        )

    prefix = f"{PREFIX}/{uuid.uuid4().hex[:12]}/"
    store_s3 = client("s3", **as_user)
    context = SpeedContext(
        store_s3=store_s3,
        bucket=bucket,
        ledger=Ledger(bucket, prefix),
        upload_config=UPLOAD,
        download_config=DOWNLOAD,
        multipart_s3=(lambda: _assumed_s3(client, role_arn, as_user)) if role_arn else None,
    )
    report = SpeedReport(target=aws_clients.target(config, options.profile), prefix=prefix)
    try:
        measure(context, sizes, options.runs, report)
    except KeyboardInterrupt:
        _say(f"interrupted; {_cleaned(report)}")
        return EXIT_INTERRUPTED
    except (ClientError, BotoCoreError, TransferFailed) as error:
        _say(f"{type(error).__name__}: {error}; {_cleaned(report)}")
        return 1
    text = RENDERERS[options.format](report)
    if options.output_file is not None:
        options.output_file.parent.mkdir(parents=True, exist_ok=True)
        options.output_file.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if report.exit_code:
        _say(_cleaned(report))
    return report.exit_code


def _checked(options: StoreSpeedOptions) -> list[int]:
    if options.format not in RENDERERS:
        exit_bad_input(f"--format {options.format!r}: use one of {', '.join(FORMATS)}")
    if not 1 <= options.runs <= 20:
        exit_bad_input(f"--runs {options.runs}: use 1 to 20")
    if not 0 < options.timeout <= 600:
        exit_bad_input(f"--timeout {options.timeout:g}: use a number of seconds from 0 to 600 (per request, per part)")
    try:
        return parse_sizes(options.sizes)
    except ValueError as error:
        exit_bad_input(f"--sizes: {error}")


def _assumed_s3(client: Any, role_arn: str, as_user: dict[str, Any]) -> Any:
    """An S3 client with the multipart role's temporary credentials, assumed as the store user (seed 000)."""
    credentials = client("sts", **as_user).assume_role(RoleArn=role_arn, RoleSessionName="stackyard-store-speed")[
        "Credentials"
    ]
    return client(
        "s3",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def _cleaned(report: SpeedReport) -> str:
    if report.clean_up_error:
        return f"the clean-up failed ({report.clean_up_error}): look under s3://.../{report.prefix}"
    return f"objects left under {report.prefix}: {report.left_behind}"


def shown_total(size: int) -> str:
    return shown(size) if size % 2**30 == 0 or size < 2**30 else f"{size / 2**30:.1f} GiB"


def _say(message: str) -> None:
    print(f"store speed: {message}", file=sys.stderr)
