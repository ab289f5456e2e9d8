"""queue-instance: valohai-i-queue by Name tag, its type and IMDS setting."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.queue_instance import QueueInstance


def test_found_with_its_ids_and_a_type_difference(find, estate, empty_account):
    assert find(QueueInstance, empty_account).state is State.MISSING
    finding = find(QueueInstance, estate.endpoint)
    assert (finding.state, finding.differences) == (State.FOUND, [])
    assert finding.outputs["queue_instance_id"] == estate.ids["queue_instance"]
    bigger = find(QueueInstance, estate.endpoint, config=lambda c: c["queue"].update(instance_type="m5.large"))
    assert bigger.differences == ["type t3.medium, the config: m5.large"]


def test_not_wanted_when_the_queue_is_off(find, estate):
    assert find(QueueInstance, estate.endpoint, config=lambda c: c["queue"].update(enabled=False)).state is (
        State.NOT_WANTED
    )
