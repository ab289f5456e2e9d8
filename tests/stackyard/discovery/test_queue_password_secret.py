"""queue-password-secret: only looked for when the customer installs the queue; found by name, its value kept, and
refused while scheduled for deletion."""

from __future__ import annotations

from stackyard.config import validate_config_data
from stackyard.discovery.core.base import State
from stackyard.discovery.core.context import DiscoveryContext
from stackyard.discovery.queue_password_secret import QueuePasswordSecret
from tests.support.console_estate import example_config
from tests.support.customer_queue import CUSTOMER_QUEUE

NAME = "valohai-queue-redis-password"


def customer(config: dict) -> None:
    config["queue"] = {**config.get("queue", {}), **CUSTOMER_QUEUE}


def test_not_wanted_when_the_platform_installs_the_queue(empty_account):
    context = DiscoveryContext(validate_config_data(example_config(empty_account), "test config"))
    assert not QueuePasswordSecret().wanted(context)


def test_missing_then_found_with_its_value_kept_and_imported_by_arn(find, fresh_estate):
    assert find(QueuePasswordSecret, fresh_estate.endpoint, customer).state is State.MISSING
    arn = fresh_estate.client("secretsmanager").create_secret(Name=NAME, SecretString="platform-knows-it")["ARN"]
    finding = find(QueuePasswordSecret, fresh_estate.endpoint, customer)
    assert finding.state is State.FOUND and finding.differences == ["has a value: the queue keeps it"]
    assert finding.outputs == {"queue_password_secret_arn": arn}
    assert finding.adoption.resources["queue-password-secret"].import_id == arn
    assert not finding.adoption.refusals


def test_a_secret_pending_deletion_is_refused(find, fresh_estate):
    secrets = fresh_estate.client("secretsmanager")
    secrets.create_secret(Name=NAME)
    secrets.delete_secret(SecretId=NAME, RecoveryWindowInDays=7)
    finding = find(QueuePasswordSecret, fresh_estate.endpoint, customer)
    (refusal,) = finding.adoption.refusals
    assert refusal.field == "queue.password_secret_name" and "restore-secret" in refusal.fix
    assert not finding.adoption.resources
