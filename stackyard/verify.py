"""`stackyard verify`: input checking and wiring between the CLI and the checks (which know nothing of the CLI)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from stackyard import checks
from stackyard.checks.core.context import QueueAddress, VerifyContext
from stackyard.checks.core.runner import run_checks
from stackyard.checks.reporters import FORMATS, RENDERERS
from stackyard.config import exit_bad_input
from stackyard.outputs import deployment_or_exit
from stackyard.stack_names import STACK_ORDER


@dataclass
class VerifyOptions:
    outputs: Path
    config: Path | None = None
    format: str = "table"
    output_file: Path | None = None
    only: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    timeout: float = 5.0
    queue_address: str | None = None
    redis_password_env: str | None = None
    queue_ca_file: Path | None = None
    verify_tls: bool = True
    profile: str | None = None
    environment: str | None = None
    whole_deployment: bool = True
    """Refuse outputs lacking a stack the config makes (unless --only names the checks): False after a deploy of
    some stacks, which says which are not deployed yet."""


def run_verify(options: VerifyOptions) -> int:
    """Run the checks and write the report; the exit code (0/1). Bad input exits 2 with a one-line reason."""
    if options.format not in RENDERERS:
        exit_bad_input(f"--format {options.format!r}: use one of {', '.join(FORMATS)}")
    if not 0 < options.timeout <= 300:
        exit_bad_input(f"--timeout {options.timeout:g}: use a number of seconds from 0 to 300")
    try:
        selected = checks.select(options.only, options.skip)
    except ValueError as error:
        exit_bad_input(f"--only/--skip: {error}")
    needed = STACK_ORDER if options.whole_deployment and not options.only else ()
    outputs, config = deployment_or_exit(options.outputs, options.config, options.environment, needed)
    password = None
    if options.redis_password_env:
        password = os.environ.get(options.redis_password_env)
        if password is None:
            exit_bad_input(f"--redis-password-env {options.redis_password_env}: that variable is not set")
    if options.queue_ca_file is not None and not options.queue_ca_file.is_file():
        exit_bad_input(f"--queue-ca-file {options.queue_ca_file}: no such file")

    context = VerifyContext(
        outputs=outputs,
        config=config,
        timeout=options.timeout,
        queue_address=_queue_address(options.queue_address, config.firewall.redis_tls_port),
        redis_password=password,
        verify_tls=options.verify_tls,
        ca_file=str(options.queue_ca_file) if options.queue_ca_file else None,
        profile=options.profile,
    )
    report = run_checks(selected, context, skip=options.skip)
    text = RENDERERS[options.format](report)
    if options.output_file is not None:
        options.output_file.parent.mkdir(parents=True, exist_ok=True)
        options.output_file.write_text(text, encoding="utf-8")
        print(report.summary_line())
    else:
        sys.stdout.write(text)
    blocked = report.blocked()
    if blocked and (options.format != "table" or options.output_file is not None):
        print(blocked, file=sys.stderr)  # the table says it instead of its rows
    return report.exit_code


def _queue_address(value: str | None, default_port: int) -> QueueAddress | None:
    """HOST or HOST:PORT; the port defaults to the configured Redis TLS port."""
    if value is None:
        return None
    host, separator, port = value.rpartition(":")
    if not separator:
        host, port = value, str(default_port)
    if not host or not (port.isdigit() and 1 <= int(port) <= 65535):
        exit_bad_input(f"--queue-address {value!r}: use HOST or HOST:PORT with a port from 1 to 65535")
    return QueueAddress(host, int(port))
