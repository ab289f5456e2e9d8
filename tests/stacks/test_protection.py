"""Protected resources in the synthesized stacks: prevent_destroy on exactly the resources of the protection
contract (at the addresses it names), lifted per resource by protection.allow_replace and for all by teardown."""

from __future__ import annotations

import pytest
import yaml

from stackyard.config import ConfigError, default_config_text, validate_config_data
from stackyard.config.loader import load_default_config
from stackyard.config.protection import BY_ADDRESS, BY_NAME, LIFT_ENV_VAR
from tests.support.synth import Synthesized, synthesize


def config_data(**sections: dict) -> dict:
    """The embedded default config without its cluster (which holds nothing protected), sections replaced."""
    return {**yaml.safe_load(default_config_text()), "cluster": {"enabled": False}, **sections}


def prevented(synth: Synthesized) -> dict[str, set[str]]:
    """Stack -> the addresses whose lifecycle has prevent_destroy."""
    found: dict[str, set[str]] = {}
    for stack in synth.stack_names():
        for resource_type, resources in synth.stack(stack).get("resource", {}).items():
            for logical_id, body in resources.items():
                if body.get("lifecycle", {}).get("prevent_destroy") is True:
                    found.setdefault(stack, set()).add(f"{resource_type}.{logical_id}")
    return found


def test_the_default_config_protects_its_eleven_resources_and_nothing_else(default_synth):
    found = prevented(default_synth)
    names = {stack: {BY_ADDRESS[address].name for address in addresses} for stack, addresses in found.items()}
    assert names == {
        "data": {"store-bucket", "access-log-bucket", "store-user", "store-access-key"},
        "workers": {
            "master-role", "worker-role", "worker-instance-profile", "queue-instance", "queue-elastic-ip",
            "queue-key-pair", "flow-log-group",
        },
    }  # fmt: skip


def test_every_protected_resource_of_the_contract_is_where_it_says(everything_on_synth):
    """examples/everything-on.yaml makes every one (the customer-installed queue's secret too): each address of the
    contract carries prevent_destroy, so the plan review and Terraform agree on what is protected."""
    addresses = set().union(*prevented(everything_on_synth).values())
    assert addresses == set(BY_ADDRESS)


def test_allow_replace_lifts_only_the_named_resources(synth_config):
    synth = synth_config(config_data(protection={"allow_replace": ["queue-instance", "store-bucket"]}))
    addresses = set().union(*prevented(synth).values())
    lifted = {BY_NAME["queue-instance"].address, BY_NAME["store-bucket"].address}
    assert lifted.isdisjoint(addresses)
    assert len(addresses) == 9, sorted(addresses)


def test_teardown_lifts_every_protection(synth_config):
    assert prevented(synth_config(config_data(protection={"teardown": True}))) == {}


def test_stackyards_scratch_synth_for_a_plan_has_no_prevent_destroy(monkeypatch, tmp_path):
    monkeypatch.setenv(LIFT_ENV_VAR, "1")
    assert prevented(synthesize(load_default_config(), tmp_path)) == {}


def test_an_allowance_that_protects_nothing_is_refused_naming_the_field(tmp_path):
    config = validate_config_data(config_data(protection={"allow_replace": ["queue-instanse"]}), "test config")
    with pytest.raises(ConfigError) as raised:
        synthesize(config, tmp_path)
    (problem,) = raised.value.problems
    assert problem.startswith("protection.allow_replace: 'queue-instanse' protects nothing; use one of ")
    assert "queue-instance" in problem
    assert not (tmp_path / "stacks").exists(), "nothing is written"


def test_an_allowance_must_look_like_a_name():
    with pytest.raises(ConfigError) as raised:
        validate_config_data(config_data(protection={"allow_replace": ["Queue Instance"]}), "test config")
    assert any(problem.startswith("protection.allow_replace") for problem in raised.value.problems)


def test_the_queue_applies_a_new_first_boot_script_with_a_new_instance_not_by_ignoring_it(everything_on_synth):
    """queue.installed_by and the first-boot settings cannot converge in place: Terraform replaces the instance
    (refused by its protection until allowed) instead of ignoring the new script."""
    (queue,) = everything_on_synth.resources("workers", "aws_instance", within="queue_").values()
    assert queue["user_data_replace_on_change"] is True
    assert "user_data" not in queue["lifecycle"].get("ignore_changes", [])
