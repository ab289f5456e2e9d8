"""queue-instance: valohai-i-queue running, IMDSv2 required, holding its Elastic IP."""

from __future__ import annotations

from stackyard.checks.core.base import Status
from stackyard.checks.queue_instance import QueueInstanceRunning
from tests.support.aws import emulator_client
from tests.support.deployed import REGION


def test_passes_on_the_running_queue(check_on, deployed):
    result = check_on(QueueInstanceRunning, deployed)
    assert result.status is Status.PASS, result.detail
    assert "IMDSv2 required" in result.detail


def test_stopped_queue_with_imdsv1_and_no_elastic_ip_fails_naming_each(check_on, fresh_deployment):
    ec2 = emulator_client("ec2", fresh_deployment.endpoint, REGION)
    workers = fresh_deployment.outputs()["workers"]
    instance_id, public_ip = workers["queue_instance_id"], workers["queue_public_ip"]
    ec2.modify_instance_metadata_options(InstanceId=instance_id, HttpTokens="optional")
    association = ec2.describe_addresses(PublicIps=[public_ip])["Addresses"][0]["AssociationId"]
    ec2.disassociate_address(AssociationId=association)
    ec2.stop_instances(InstanceIds=[instance_id])
    result = check_on(QueueInstanceRunning, fresh_deployment)
    assert result.status is Status.FAIL
    assert "state is stopped" in result.detail
    assert "IMDSv2 not required (HttpTokens=optional)" in result.detail
    assert f"Elastic IP {public_ip} is associated with nothing" in result.detail
