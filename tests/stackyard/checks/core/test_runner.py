"""The runner: concurrent, skips checks whose stack is not deployed, turns exceptions into ERROR."""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import EndpointConnectionError, NoCredentialsError, ReadTimeoutError

from stackyard.checks.core.base import Check, Severity, Status, passed
from stackyard.checks.core.context import VerifyContext
from stackyard.checks.core.runner import run_checks
from stackyard.checks.reporters.table import render_table
from stackyard.config import load_default_config
from stackyard.outputs import StackOutputs


def context(**outputs) -> VerifyContext:
    return VerifyContext(outputs=StackOutputs({"stack": outputs}, "test"), config=load_default_config(), timeout=1)


class FakeCheck(Check):
    title, seed, severity, remediation, order = "a fake", "000", Severity.LOW, "nothing to do", 0


class Sleeps(FakeCheck):
    id = "sleeps"

    def run(self, context):
        time.sleep(1)
        return passed("slept")


class Raises(FakeCheck):
    id = "raises"

    def run(self, context):
        raise RuntimeError("the endpoint said no")


class NeedsOutputs(FakeCheck):
    id = "needs"
    needs_outputs = ("queue_public_ip",)

    def run(self, context):
        raise AssertionError("must not run")


def test_checks_run_concurrently():
    report = run_checks([Sleeps(), Sleeps(), Sleeps()], context())
    assert [r.status for r in report.results] == [Status.PASS] * 3
    assert report.duration_s < 1.8, "three one-second checks take about one second together"


def test_an_exception_becomes_error_with_its_message_and_exit_1():
    report = run_checks([Raises()], context())
    (result,) = report.results
    assert result.status is Status.ERROR and result.detail == "RuntimeError: the endpoint said no"
    assert report.exit_code == 1


def test_missing_outputs_skip_the_check():
    report = run_checks([NeedsOutputs()], context())
    assert report.results[0].status is Status.SKIP and "queue_public_ip" in report.results[0].detail
    assert report.exit_code == 0


def test_a_check_skipped_by_the_option_is_reported_as_skip_and_not_run():
    report = run_checks([NeedsOutputs(), Sleeps()], context(queue_public_ip="1.2.3.4"), skip={"needs"})
    first = report.results[0]
    assert (first.id, first.status, first.detail) == ("needs", Status.SKIP, "skipped by --skip")
    assert report.results[1].status is Status.PASS and report.exit_code == 0


class CannotConnect(FakeCheck):
    id = "cannot-connect"

    def run(self, context):
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:9/")


class TimesOut(FakeCheck):
    id = "times-out"

    def run(self, context):
        raise ReadTimeoutError(endpoint_url="http://127.0.0.1:9/")


def test_a_timeout_says_which_timeout_to_raise():
    (result,) = run_checks([TimesOut()], context()).results
    assert result.status is Status.ERROR
    assert result.detail.endswith("; no answer within --timeout 1 s: raise it if the endpoint is slow or busy")


class NoCredentials(FakeCheck):
    id = "no-credentials"

    def run(self, context):
        raise NoCredentialsError()


@pytest.mark.parametrize(
    ("check", "line"),
    [
        (CannotConnect, "verify: cannot reach AWS, region eu-west-1: 2 checks stopped (EndpointConnectionError: "),
        (NoCredentials, "verify: no AWS credentials for AWS, region eu-west-1: 2 checks stopped (NoCredentialsError: "),
    ],
)
def test_every_check_stopped_by_the_same_cause_is_one_line_and_any_other_result_keeps_the_rows(check, line):
    blocked = run_checks([check(), check(), NeedsOutputs()], context())
    assert (blocked.blocked() or "").startswith(line)
    assert render_table(blocked) == blocked.blocked() + "\n"
    for mixed in ([check(), Raises()], [check(), Sleeps()], [CannotConnect(), NoCredentials()], [NeedsOutputs()]):
        report = run_checks(mixed, context())
        assert report.blocked() is None and "┃ check" in render_table(report)
