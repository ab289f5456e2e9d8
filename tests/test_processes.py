"""The helpers that start the tests' servers: a server is only taken as ready on a port it listens on itself."""

from __future__ import annotations

import subprocess
import sys
import urllib.request

import pytest

from tests.support.processes import LOOPBACK, ServerExited, free_port, listens, stop, wait_until


def test_only_the_process_that_listens_on_the_port_owns_it():
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", LOOPBACK, str(port)])
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        wait_until(lambda: urllib.request.urlopen(f"http://{LOOPBACK}:{port}/", timeout=1).status == 200)
        assert listens(server, port)
        assert not listens(bystander, port), "it answers on the port, but another process serves it"
        assert not listens(server, free_port())
    finally:
        stop(server)
        stop(bystander)


def test_a_server_that_exits_before_it_is_ready_is_said_not_waited_for():
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    with pytest.raises(ServerExited, match="the server exited with 3 before it was ready"):
        wait_until(lambda: False, timeout=600, what="the server", process=process)
