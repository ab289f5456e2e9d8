"""worker-role: the role, its policy and the console's instance profile of the same name."""

from __future__ import annotations

from stackyard.discovery.core.base import State
from stackyard.discovery.worker_role import WorkerRole


def test_found_with_the_consoles_instance_profile(find, estate):
    finding = find(WorkerRole, estate.endpoint)
    assert (finding.state, finding.differences) == (State.FOUND, [])
    assert finding.outputs["worker_instance_profile_name"] == "ValohaiWorkerRole"


def test_a_role_made_by_the_api_has_no_instance_profile_and_says_so(find, fresh_estate, empty_account):
    assert find(WorkerRole, empty_account).state is State.MISSING
    iam = fresh_estate.client("iam")
    iam.remove_role_from_instance_profile(InstanceProfileName="ValohaiWorkerRole", RoleName="ValohaiWorkerRole")
    finding = find(WorkerRole, fresh_estate.endpoint)
    assert finding.state is State.FOUND and finding.differences == [
        "no instance profile named ValohaiWorkerRole (has: none)"
    ]
    assert "worker_instance_profile_name" not in finding.outputs
