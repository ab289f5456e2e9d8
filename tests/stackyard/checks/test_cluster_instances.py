"""cluster-instances: orchestrator and factories running, with the configured count, types and flambé tags."""

from __future__ import annotations

from stackyard.checks.cluster_instances import ClusterInstances
from stackyard.checks.core.base import Status
from tests.support.aws import emulator_client
from tests.support.deployed import REGION


def test_passes_on_the_deployed_cluster(check_on, deployed):
    result = check_on(ClusterInstances, deployed)
    assert result.status is Status.PASS, result.detail
    assert "1 orchestrator (t3.small) and 2 factories (t3.small) running" in result.detail


def test_one_factory_is_one_factory(check_on, deployed):
    def one_factory(outputs):
        outputs["cluster"]["factory_instance_ids"] = outputs["cluster"]["factory_instance_ids"][:1]

    result = check_on(
        ClusterInstances, deployed, outputs=one_factory, config=lambda c: c["cluster"].update(factories_num=1)
    )
    assert result.status is Status.PASS and "and 1 factory (t3.small) running" in result.detail


def test_a_config_asking_for_more_factories_or_another_type_fails(check_on, deployed):
    more = check_on(ClusterInstances, deployed, config=lambda c: c["cluster"].update(factories_num=3))
    assert more.status is Status.FAIL and "the config asks for 4" in more.detail
    bigger = check_on(ClusterInstances, deployed, config=lambda c: c["cluster"].update(factories_type="t3.large"))
    assert bigger.status is Status.FAIL and "not t3.large" in bigger.detail


def test_a_stopped_factory_fails(check_on, fresh_deployment):
    factory = fresh_deployment.outputs()["cluster"]["factory_instance_ids"][0]
    emulator_client("ec2", fresh_deployment.endpoint, REGION).stop_instances(InstanceIds=[factory])
    result = check_on(ClusterInstances, fresh_deployment)
    assert result.status is Status.FAIL and f"Factory {factory} is stopped" in result.detail
