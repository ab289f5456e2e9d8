"""queue-instance: valohai-i-queue by Name tag, its type and IMDS setting; adopted with the attributes kept whose
change would replace it, refused when its key pair, disk or subnet cannot be taken over as they are."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.queue_instance import QueueInstance

KEPT = {"ebs_optimized": False, "root_block_device.encrypted": False}  # how run_instances makes it in moto


def test_found_with_its_ids_and_a_type_difference(find, estate, empty_account):
    assert find(QueueInstance, empty_account).state is State.MISSING
    finding = find(QueueInstance, estate.endpoint)
    assert finding.state is State.FOUND
    assert finding.differences == [
        f"{name} is {value}: kept (changing it needs a new instance)" for name, value in KEPT.items()
    ]
    assert finding.outputs["queue_instance_id"] == estate.ids["queue_instance"]
    bigger = find(QueueInstance, estate.endpoint, config=lambda c: c["queue"].update(instance_type="m5.large"))
    assert bigger.differences[0] == "type t3.medium, the config: m5.large"
    assert bigger.adoption.refusals == [], "a new type is an in-place change"


def test_adopted_keeping_what_would_replace_it(find, estate):
    adoption = find(QueueInstance, estate.endpoint).adoption
    entry = adoption.resources["queue-instance"]
    assert (entry.import_id, entry.keep, adoption.refusals) == (estate.ids["queue_instance"], KEPT, [])


def test_refused_when_its_key_pair_or_disk_cannot_be_kept(find, estate):
    def change(config):
        config["queue"]["key_pair"]["name"] = "another-key"
        config["queue"]["disk_size_gb"] = 8

    refusals = find(QueueInstance, estate.endpoint, config=change).adoption.refusals
    assert [(r.field, r.config_value, r.found_value) for r in refusals] == [
        ("queue.key_pair.name", "another-key", "valohai-queue")
    ], "moto's root disk is 8 GB: not bigger than 8"
    bigger_disk = find(QueueInstance, estate.endpoint, config=lambda c: c["queue"].update(disk_size_gb=16))
    assert bigger_disk.adoption.refusals == [], "a bigger disk grows in place"


def test_not_wanted_when_the_queue_is_off(find, estate):
    assert find(QueueInstance, estate.endpoint, config=lambda c: c["queue"].update(enabled=False)).state is (
        State.NOT_WANTED
    )
