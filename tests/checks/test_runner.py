"""The runner: concurrent, skips checks whose stack is not deployed, turns exceptions into ERROR."""

from __future__ import annotations

import socket
import time

from checks.base import Check, Status, passed
from checks.cluster_ssh import ClusterSsh
from checks.context import VerifyContext
from checks.runner import run_checks
from stackyard.config import load_default_config
from stackyard.outputs import StackOutputs
from tests.support.processes import LOOPBACK, free_port


def context(**outputs) -> VerifyContext:
    return VerifyContext(outputs=StackOutputs({"stack": outputs}, "test"), config=load_default_config(), timeout=1)


class Sleeps(Check):
    id, title, seed = "sleeps", "sleeps a second", "000"

    def run(self, context):
        time.sleep(1)
        return passed("slept")


class Raises(Check):
    id, title, seed = "raises", "raises", "000"

    def run(self, context):
        raise RuntimeError("the endpoint said no")


class NeedsOutputs(Check):
    id, title, seed = "needs", "needs outputs", "001"
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


def test_ssh_check_reaches_listening_hosts_and_names_the_unreachable():
    with socket.socket() as listener:
        listener.bind((LOOPBACK, 0))
        listener.listen()
        port = listener.getsockname()[1]
        reachable = run_checks(
            [ClusterSsh(port=port)], context(orchestrator_public_ip=LOOPBACK, factory_public_ips=[LOOPBACK, LOOPBACK])
        )
    assert reachable.results[0].status is Status.PASS and "open on 3 hosts" in reachable.results[0].detail
    closed = run_checks([ClusterSsh(port=free_port())], context(orchestrator_public_ip=LOOPBACK, factory_public_ips=[]))
    assert closed.results[0].status is Status.FAIL and LOOPBACK in closed.results[0].detail
