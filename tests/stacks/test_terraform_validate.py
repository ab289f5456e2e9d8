"""Every synthesized stack is valid Terraform for the real AWS provider (from the machine's mirror, if any)."""

from __future__ import annotations

import shutil

import pytest

from tests.support.configs import CLUSTER_IDENTITY
from tests.support.terraform import Terraform

BUCKET = {"data_store": {"bucket_name": "stackyard-test-bucket"}}
WORKERS = {"workers": {"assume_role_arn": "arn:aws:iam::123456789012:role/valohai-assume-role"}}
VARIANTS = {
    "emulator-endpoint": {
        **BUCKET,
        **WORKERS,
        "aws": {"endpoint_url": "http://127.0.0.1:5000"},
        "cluster": {**CLUSTER_IDENTITY, "access_cidrs": ["198.51.100.0/24"]},
    },
    "cluster-in-existing-subnet-pinned-images": {
        **BUCKET,
        "workers": {"enabled": False},
        "cluster": {
            **CLUSTER_IDENTITY,
            "subnet_id": "subnet-0a1b2c3d4e5f60718",
            "access_cidrs": ["198.51.100.0/24"],
            "orchestrator_ami": "ami-0123456789abcdef0",
            "factory_ami": "ami-0fedcba9876543210",
            "orchestrator_timeout": 100,
            "factories_timeout": 0,
            "shutdown_action": "terminate",
            "dedicated": True,
            "volume_type": "io2",
            "s3_mount": {"read_only": False},
            # shell's ${...} and a literal %{: Terraform would read them as template syntax unless escaped
            "setup_cmds": ["echo hi", 'echo "${HOME}" "%{literal}"'],
        },
    },
    "pgp-kms-no-tls": {
        "workers": {"enabled": False},
        "cluster": {"enabled": False},
        "data_store": {
            **BUCKET["data_store"],
            "pgp_key": "keybase:example",
            "kms_key_arn": "arn:aws:kms:eu-west-1:123456789012:alias/ml-data",
            "tls_only": False,
            "versioning": False,
        },
    },
    "s3-backend": {
        **BUCKET,
        **WORKERS,
        "cluster": {"enabled": False},
        "backend": {"type": "s3", "bucket": "team-tf-state", "region": "eu-west-1"},
    },
    "byo-network-customer-queue-option-2": {
        **BUCKET,
        "workers": {**WORKERS["workers"], "external_id": "org-42", "grant_provisioning_access": True},
        "network": {"existing": {"vpc_id": "vpc-0a1b2c3d4e5f60718", "subnet_ids": ["subnet-0a1b2c3d4e5f60718"]}},
        "cluster": {**CLUSTER_IDENTITY, "security_group": "sg-0a1b2c3d4e5f60718", "s3_mount": {"enabled": False}},
        "queue": {
            "installed_by": "customer",
            "admin_ssh_cidr": "203.0.113.7/32",
            "address": "ops-queue.vqueue.net",
            "ami_id": "ami-0123456789abcdef0",
            "key_pair": {"name": "ops-key"},
        },
    },
}


def validate_all_stacks(synth, cli_config, tmp_path, attaching):
    names = synth.stack_names()
    assert names, "nothing was synthesized"
    for stack in names:
        workdir = tmp_path / stack
        shutil.copytree(synth.stack_dir(stack), workdir)
        terraform = Terraform(workdir, cli_config)
        terraform.init_without_backend()
        terraform.attach(attaching)  # installed by init; validated by the same provider, started once
        result = terraform.validate()
        assert result["valid"], f"{stack}: {result['diagnostics']}"
        assert result["warning_count"] == 0, f"{stack}: {result['diagnostics']}"


def test_default_config_stacks_validate(default_synth, terraform_cli_config, tmp_path, attached_terraform):
    validate_all_stacks(default_synth, terraform_cli_config, tmp_path, attached_terraform)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_stacks_validate(name, synth_config, terraform_cli_config, tmp_path, attached_terraform):
    validate_all_stacks(synth_config(VARIANTS[name]), terraform_cli_config, tmp_path, attached_terraform)
