"""stray-instances: only the instances the outputs record carry this cluster's and this queue's tags."""

from __future__ import annotations

from stackyard.checks.core.base import Status
from stackyard.checks.stray_instances import StrayInstances
from tests.support.aws import emulator_client
from tests.support.deployed import REGION


def test_passes_when_the_deployment_records_every_tagged_instance(check_on, deployed):
    result = check_on(StrayInstances, deployed)
    assert result.status is Status.PASS, result.detail
    assert (
        result.detail
        == "only the 4 recorded instance(s) carry the tags of cluster my-cluster and queue valohai-i-queue"
    )


def test_instances_an_interrupted_deploy_left_fail_by_id(check_on, fresh_deployment):
    """A second my-cluster_factory_1 and a second valohai-i-queue, launched beside the deployment as a killed
    deploy run again leaves them: both named, with their Name tags."""
    ec2 = emulator_client("ec2", fresh_deployment.endpoint, REGION)
    outputs = fresh_deployment.outputs()
    strays = []
    for recorded in (outputs["cluster"]["factory_instance_ids"][0], outputs["workers"]["queue_instance_id"]):
        (reservation,) = ec2.describe_instances(InstanceIds=[recorded])["Reservations"]
        original = reservation["Instances"][0]
        tags = [tag for tag in original["Tags"] if not tag["Key"].startswith("aws:")]
        strays.append(
            ec2.run_instances(
                ImageId=original["ImageId"], InstanceType=original["InstanceType"], MinCount=1, MaxCount=1,
                TagSpecifications=[{"ResourceType": "instance", "Tags": tags}],
            )["Instances"][0]["InstanceId"]
        )  # fmt: skip
    result = check_on(StrayInstances, fresh_deployment)
    assert result.status is Status.FAIL
    assert result.detail.startswith("2 instance(s) tagged as cluster my-cluster and queue valohai-i-queue")
    assert f"{strays[0]} (my-cluster_factory_1, running)" in result.detail
    assert f"{strays[1]} (valohai-i-queue, running)" in result.detail


def test_skips_without_a_cluster_or_queue_in_the_outputs(check_on, deployed):
    def data_only(outputs):
        del outputs["cluster"], outputs["workers"]

    assert check_on(StrayInstances, deployed, outputs=data_only).status is Status.SKIP
