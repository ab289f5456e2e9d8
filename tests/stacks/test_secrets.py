"""Secrets in the generated Terraform: the store user's secret key reaches only a sensitive output (or, with a
PGP key, only its encrypted form), and no instance's user data carries a credential."""

from __future__ import annotations

import json
import re

import pytest

SECRET_REFERENCE = re.compile(r"aws_iam_access_key\.[^.}]+\.(secret|ses_smtp_password_v4)\b")
CREDENTIAL_HINTS = ("aws_iam_access_key", "aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "passwd_file", "AKIA")


@pytest.fixture(params=["default", "everything-on"])
def synth(request, default_synth, everything_on_synth):
    return default_synth if request.param == "default" else everything_on_synth


def test_the_secret_key_only_reaches_a_sensitive_output(synth):
    carriers = []
    for stack in synth.stack_names():
        body = synth.stack(stack)
        for section in ("resource", "data", "locals"):
            assert not SECRET_REFERENCE.search(json.dumps(body.get(section, {}))), f"{stack}: secret used in {section}"
        for name, output in body.get("output", {}).items():
            if SECRET_REFERENCE.search(json.dumps(output)):
                assert output.get("sensitive") is True, f"{stack}.{name} shows the secret key"
                carriers.append(name)
    pgp = synth.config.data_store.pgp_key is not None
    assert carriers == ([] if pgp else ["secret_access_key"])


def test_no_user_data_carries_credentials(synth):
    scripts = [
        instance["user_data"]
        for stack in synth.stack_names()
        for instance in synth.resources(stack, "aws_instance").values()
        if "user_data" in instance
    ]
    assert scripts, "the cluster instances have first-boot scripts to inspect"
    for script in scripts:
        assert not any(hint in script for hint in CREDENTIAL_HINTS)
        if "s3fs" in script:
            assert "iam_role=" in script  # s3fs authenticates with the instance role, not keys
        else:  # the customer-installed queue: its password is read from Secrets Manager with the instance role
            assert "requirepass" in script and "aws secretsmanager get-secret-value" in script
