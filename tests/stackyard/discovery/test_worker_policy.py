"""worker-policy: ValohaiWorkerPolicy by name."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.worker_policy import WorkerPolicy


def test_found_and_missing(find, estate, empty_account):
    finding = find(WorkerPolicy, estate.endpoint)
    assert finding.state is State.FOUND and finding.ids == ["arn:aws:iam::123456789012:policy/ValohaiWorkerPolicy"]
    assert find(WorkerPolicy, empty_account).state is State.MISSING
