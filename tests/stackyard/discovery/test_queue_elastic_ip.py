"""queue-elastic-ip: valohai-ip-queue, attached to the queue."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.queue_elastic_ip import QueueElasticIp


def test_found_attached_and_a_detached_one_is_a_difference(find, fresh_estate, empty_account):
    assert find(QueueElasticIp, empty_account).state is State.MISSING
    finding = find(QueueElasticIp, fresh_estate.endpoint)
    assert (finding.state, finding.differences) == (State.FOUND, [])
    assert finding.outputs == {"queue_public_ip": fresh_estate.ids["queue_ip"]}
    ec2 = fresh_estate.client("ec2")
    association = ec2.describe_addresses(AllocationIds=finding.ids)["Addresses"][0]["AssociationId"]
    ec2.disassociate_address(AssociationId=association)
    assert find(QueueElasticIp, fresh_estate.endpoint).differences == ["not attached to valohai-i-queue (to: nothing)"]
