"""queue-secret against moto: the customer-installed queue's secret, its resource policy and the roles' grants as the
synthesized workers stack makes them, the value stored by the generated first-boot step."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from stackyard.checks.core.base import Status
from stackyard.checks.queue_secret import QueueSecret, readers_allowed_by_deny
from tests.support.aws import emulator_client
from tests.support.customer_queue import CUSTOMER_QUEUE, customer_config_data, run_password_step
from tests.support.deployed import REGION, Deployed, deploy

OTHER_ADMIN = "arn:aws:iam::123456789012:role/someone-else"


@pytest.fixture
def fresh_customer(synth_config, tmp_path) -> Iterator[Deployed]:
    """A customer-installed deployment of its own (its secret still without a value), for tests that change it."""
    yield from deploy(synth_config(customer_config_data()), tmp_path, {"queue": CUSTOMER_QUEUE})


def secret_arn(deployed: Deployed) -> str:
    return deployed.outputs()["workers"]["queue_password_secret_arn"]


def secrets(deployed: Deployed):
    return emulator_client("secretsmanager", deployed.endpoint, REGION)


def test_passes_once_the_queue_stored_its_password(check_on, customer_deployed, queue_password):
    result = check_on(QueueSecret, customer_deployed)
    assert result.status is Status.PASS, result.detail
    workers = customer_deployed.outputs()["workers"]
    assert result.evidence["readers"] == sorted([workers["master_role_arn"], workers["queue_role_arn"]])


@pytest.mark.emulator
def test_a_secret_without_a_value_fails(check_on, fresh_customer):
    result = check_on(QueueSecret, fresh_customer)
    assert result.status is Status.FAIL and "has no value yet" in result.detail


@pytest.mark.emulator
def test_a_policy_letting_another_principal_read_fails_unless_the_config_lists_it(check_on, fresh_customer):
    assert run_password_step(fresh_customer.endpoint, secret_arn(fresh_customer)).returncode == 0
    policy = json.loads(
        secrets(fresh_customer).get_resource_policy(SecretId=secret_arn(fresh_customer))["ResourcePolicy"]
    )
    policy["Statement"][0]["Condition"]["StringNotEquals"]["aws:PrincipalArn"].append(OTHER_ADMIN)
    secrets(fresh_customer).put_resource_policy(SecretId=secret_arn(fresh_customer), ResourcePolicy=json.dumps(policy))

    widened = check_on(QueueSecret, fresh_customer)
    assert widened.status is Status.FAIL and f"also lets {OTHER_ADMIN} read" in widened.detail
    listed = check_on(QueueSecret, fresh_customer, config=lambda c: c["queue"].update(password_readers=[OTHER_ADMIN]))
    assert listed.status is Status.PASS, listed.detail


@pytest.mark.emulator
def test_no_resource_policy_fails(check_on, fresh_customer):
    assert run_password_step(fresh_customer.endpoint, secret_arn(fresh_customer)).returncode == 0
    secrets(fresh_customer).delete_resource_policy(SecretId=secret_arn(fresh_customer))
    result = check_on(QueueSecret, fresh_customer)
    assert result.status is Status.FAIL and "no resource policy denying" in result.detail


@pytest.mark.emulator
def test_the_platform_losing_its_read_grant_fails(check_on, fresh_customer):
    assert run_password_step(fresh_customer.endpoint, secret_arn(fresh_customer)).returncode == 0
    iam = emulator_client("iam", fresh_customer.endpoint, REGION)
    iam.delete_role_policy(RoleName="ValohaiMaster", PolicyName="ReadQueueRedisPassword")
    result = check_on(QueueSecret, fresh_customer)
    assert result.status is Status.FAIL and "ValohaiMaster lacks" in result.detail
    assert "secretsmanager:GetSecretValue" in result.detail


def test_skipped_when_the_platform_installs_the_queue(check_on, deployed):
    result = check_on(QueueSecret, deployed)
    assert result.status is Status.SKIP and "installed by the platform" in result.detail


@pytest.mark.parametrize(
    ("statement", "readers"),
    [
        ({"Effect": "Deny", "Principal": "*", "Action": "secretsmanager:*", "Resource": "*"}, set()),
        (
            {
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "secretsmanager:GetSecretValue",
                "Resource": "*",
                "Condition": {"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::1:role/a"}},
            },
            {"arn:aws:iam::1:role/a"},
        ),
        ({"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}, None),
        (
            {  # denies only outside one network: inside it, anyone with IAM rights reads
                "Effect": "Deny",
                "Principal": "*",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": "*",
                "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
            },
            None,
        ),
    ],
)
def test_which_readers_a_policy_exempts(statement, readers):
    assert readers_allowed_by_deny({"Statement": [statement]}) == readers
