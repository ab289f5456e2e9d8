"""key-pair: the queue's key pair by its configured name."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.key_pair import KeyPair


def test_found_and_missing(find, estate, empty_account):
    finding = find(KeyPair, estate.endpoint)
    assert finding.state is State.FOUND and finding.outputs == {"key_pair_name": "valohai-queue"}
    assert find(KeyPair, empty_account).state is State.MISSING
