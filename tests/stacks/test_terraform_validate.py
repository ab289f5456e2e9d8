"""Every synthesized stack is valid Terraform for the real AWS provider (from the machine's mirror, if any)."""

from __future__ import annotations

import shutil

import pytest

from tests.support.terraform import Terraform

BUCKET = {"data_store": {"bucket_name": "stackyard-test-bucket"}}
VARIANTS = {
    "emulator-endpoint": {**BUCKET, "aws": {"endpoint_url": "http://127.0.0.1:5000"}},
    "pgp-kms-no-tls": {
        "data_store": {
            **BUCKET["data_store"],
            "pgp_key": "keybase:example",
            "kms_key_arn": "arn:aws:kms:eu-west-1:123456789012:alias/ml-data",
            "tls_only": False,
            "versioning": False,
        }
    },
    "s3-backend": {**BUCKET, "backend": {"type": "s3", "bucket": "team-tf-state", "region": "eu-west-1"}},
}


def validate_all_stacks(synth, cli_config, tmp_path):
    names = synth.stack_names()
    assert names, "nothing was synthesized"
    for stack in names:
        workdir = tmp_path / stack
        shutil.copytree(synth.stack_dir(stack), workdir)
        terraform = Terraform(workdir, cli_config)
        terraform.init_without_backend()
        result = terraform.validate()
        assert result["valid"], f"{stack}: {result['diagnostics']}"
        assert result["warning_count"] == 0, f"{stack}: {result['diagnostics']}"


def test_default_config_stacks_validate(default_synth, terraform_cli_config, tmp_path):
    validate_all_stacks(default_synth, terraform_cli_config, tmp_path)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_stacks_validate(name, synth_config, terraform_cli_config, tmp_path):
    validate_all_stacks(synth_config(VARIANTS[name]), terraform_cli_config, tmp_path)
