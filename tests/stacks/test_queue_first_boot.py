"""The customer-installed queue's first-boot script: clean shell, no secret in it, and its password step run for
real (bash + the AWS CLI against moto's Secrets Manager): made once, kept afterwards, never overwritten."""

from __future__ import annotations

import re

import pytest

from stacks.components.queue_first_boot import PasswordFromSecret, QueueFirstBoot
from stackyard.config.model import LETS_ENCRYPT_STAGING
from tests.stacks.test_cluster_user_data import shellcheck
from tests.support.aws import emulator_client
from tests.support.customer_queue import run_password_step
from tests.support.deployed import REGION
from tests.support.processes import moto_server

SECRET_NAME = "valohai-queue-redis-password"  # the first boot reads the secret by its name
BASE = QueueFirstBoot(
    address="my-queue.vqueue.net",
    password=PasswordFromSecret(secret_id=SECRET_NAME, region="eu-west-1"),
    acme_directory="https://acme-v02.api.letsencrypt.org/directory",
    acme_email="ops@example.com",
)
VARIANTS = {
    "default": BASE,
    "no-email-staging": QueueFirstBoot(**{**BASE.__dict__, "acme_email": None, "acme_directory": LETS_ENCRYPT_STAGING}),
    "redis-8": QueueFirstBoot(**{**BASE.__dict__, "redis_version": 8}),
}
HEX_PASSWORD = re.compile(r"^[0-9a-f]{64}$")


def queue_user_data(synth) -> str:
    (instance,) = synth.resources("workers", "aws_instance").values()
    return instance["user_data"]


def test_synthesized_user_data_is_shellcheck_clean(everything_on_synth):
    result = shellcheck(queue_user_data(everything_on_synth))
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_script_variants_are_shellcheck_clean(name):
    result = shellcheck(VARIANTS[name].render())
    assert result.returncode == 0, result.stdout


def test_the_script_does_what_the_config_asks():
    script = VARIANTS["no-email-staging"].render()
    assert f"--server {LETS_ENCRYPT_STAGING}" in script and "--register-unsafely-without-email" in script
    assert "Pin: version 6:8.*" in VARIANTS["redis-8"].render()
    default = BASE.render()
    assert "--email ops@example.com" in default and "address=my-queue.vqueue.net" in default
    assert "tls-port 63790" in default and "port 0\n" in default and "appendonly yes" in default


SECRET_AND_GRANTS = ("aws_secretsmanager_secret", "aws_secretsmanager_secret_policy")


def test_the_queue_gets_its_role_and_script_only_when_the_customer_installs_it(default_synth, everything_on_synth):
    (valohai,) = default_synth.resources("workers", "aws_instance").values()
    assert "user_data" not in valohai and "iam_instance_profile" not in valohai
    assert not default_synth.resources("workers", "aws_secretsmanager_secret")
    (customer,) = everything_on_synth.resources("workers", "aws_instance").values()
    profile = everything_on_synth.ref("workers", "aws_iam_instance_profile", "name", within="queue_password")
    assert customer["iam_instance_profile"] == profile
    # A new script is applied by a new instance (refused by its protection until allowed), never ignored.
    assert customer["lifecycle"]["ignore_changes"] == ["ami"] and customer["user_data_replace_on_change"] is True
    # Read by name (no Terraform reference in user data), so the instance waits for the secret and its grants.
    assert "\nsecret_id=valohai-queue-redis-password\n" in customer["user_data"]
    needs = {everything_on_synth.address("workers", kind, within="queue_password") for kind in SECRET_AND_GRANTS}
    needs.add(everything_on_synth.address("workers", "aws_iam_role_policy", within="queue_password_queue_role"))
    assert needs <= set(customer["depends_on"]), customer.get("depends_on")


@pytest.mark.emulator
def test_the_password_is_made_once_kept_and_never_in_the_stacks(everything_on_synth):
    with moto_server() as endpoint:
        secrets = emulator_client("secretsmanager", endpoint, REGION)
        arn = secrets.create_secret(Name="valohai-queue-redis-password")["ARN"]
        first = run_password_step(endpoint, SECRET_NAME)
        assert first.returncode == 0, first.stderr
        password = first.stdout.strip()
        assert HEX_PASSWORD.match(password), "openssl rand -hex 32"
        assert secrets.get_secret_value(SecretId=arn)["SecretString"] == password

        again = run_password_step(endpoint, SECRET_NAME)
        assert again.returncode == 0 and again.stdout.strip() == password, "a second boot reads the stored one"
        assert len(secrets.describe_secret(SecretId=arn)["VersionIdsToStages"]) == 1, "no second version"

    for stack in everything_on_synth.stack_names():
        assert password not in everything_on_synth.raw(stack)
    assert password not in queue_user_data(everything_on_synth)
    assert password not in first.stderr + again.stderr


@pytest.mark.emulator
def test_a_password_the_platform_already_has_is_kept():
    with moto_server() as endpoint:
        secrets = emulator_client("secretsmanager", endpoint, REGION)
        arn = secrets.create_secret(Name="valohai-queue-redis-password", SecretString="the-platforms-password")["ARN"]
        result = run_password_step(endpoint, SECRET_NAME)
        assert result.returncode == 0 and result.stdout.strip() == "the-platforms-password", result.stderr
        assert secrets.get_secret_value(SecretId=arn)["SecretString"] == "the-platforms-password"


@pytest.mark.emulator
def test_a_secret_it_cannot_describe_stops_the_script_without_writing():
    with moto_server() as endpoint:
        secrets = emulator_client("secretsmanager", endpoint, REGION)
        result = run_password_step(endpoint, SECRET_NAME)
        assert result.returncode != 0 and "ResourceNotFoundException" in result.stderr
        assert secrets.list_secrets()["SecretList"] == [], "nothing was created"
